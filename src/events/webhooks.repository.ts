import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, IsNull } from 'typeorm';
import { StateMachine } from '../common/state-machine';
import { compareAndSet, StatusColumn } from '../database/status-transition';
import { Tx } from '../database/transaction-runner';
import { DomainEventEntity } from './entities/domain-event.entity';
import {
  DeliveryStatus,
  WebhookDeliveryAttemptEntity,
  WebhookDeliveryEntity,
  WebhookEntity,
} from './entities/webhook.entity';

/** A delivery is pending until it is delivered, given up (failed) or its webhook is deleted (cancelled). */
export const DELIVERY_STATE_MACHINE = new StateMachine<DeliveryStatus>('webhook delivery', {
  pending: ['delivered', 'failed', 'cancelled'],
  delivered: [],
  failed: [],
  cancelled: [],
});
const DELIVERY_STATUS = new StatusColumn(WebhookDeliveryEntity, DELIVERY_STATE_MACHINE);

export interface ClaimedDelivery {
  delivery: WebhookDeliveryEntity;
  webhook: WebhookEntity;
  event: DomainEventEntity;
}

@Injectable()
export class WebhooksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findLive(): Promise<WebhookEntity[]> {
    return this.dataSource
      .getRepository(WebhookEntity)
      .find({ where: { deletedAt: IsNull() }, order: { createdAt: 'ASC' } });
  }

  findLiveById(id: string): Promise<WebhookEntity | null> {
    return this.dataSource.getRepository(WebhookEntity).findOneBy({ id, deletedAt: IsNull() });
  }

  async insert(tx: Tx, webhook: WebhookEntity): Promise<void> {
    await tx.getRepository(WebhookEntity).insert(webhook);
  }

  /** Marks the webhook deleted (while it still is live) and cancels what it still had to send; false when gone. */
  async softDelete(tx: Tx, id: string, at: string): Promise<{ deleted: boolean; cancelled: number }> {
    if (!(await compareAndSet(tx, WebhookEntity, { id, deletedAt: IsNull() }, { deletedAt: at })))
      return { deleted: false, cancelled: 0 };
    const result = await tx
      .getRepository(WebhookDeliveryEntity)
      .update({ webhookId: id, status: 'pending' }, { status: 'cancelled', finishedAt: at, claimedBy: null });
    return { deleted: true, cancelled: result.affected ?? 0 };
  }

  findDeliveries(webhookId: string, limit: number): Promise<WebhookDeliveryEntity[]> {
    return this.dataSource
      .getRepository(WebhookDeliveryEntity)
      .find({ where: { webhookId }, order: { eventSeq: 'DESC' }, take: limit });
  }

  findAttempts(deliveryIds: string[]): Promise<WebhookDeliveryAttemptEntity[]> {
    if (deliveryIds.length === 0) return Promise.resolve([]);
    return this.dataSource
      .getRepository(WebhookDeliveryAttemptEntity)
      .find({ where: { deliveryId: In(deliveryIds) }, order: { attempt: 'ASC' } });
  }

  /** A plain read, so an idle dispatcher's poll stays out of the (SQLite) write queue. */
  async hasDue(now: string): Promise<boolean> {
    const count = await this.dueQuery(this.dataSource.manager, now).getCount();
    return count > 0;
  }

  /**
   * Claims up to `limit` due deliveries: pending, due, of a live webhook, and the earliest pending one of their
   * webhook and entity (a later event of the same record waits for the earlier one). The claim pushes nextAttemptAt
   * to `leaseUntil`, so a delivery whose instance dies is due again then. PostgreSQL locks the rows with SKIP LOCKED
   * so concurrent instances take different deliveries; on SQLite the write queue serialises claims, and the
   * compare-and-set on nextAttemptAt guards both.
   */
  async claimDue(
    tx: Tx,
    claimedBy: string,
    now: string,
    leaseUntil: string,
    limit: number,
  ): Promise<ClaimedDelivery[]> {
    const query = this.dueQuery(tx, now).orderBy('d.eventSeq', 'ASC').limit(limit);
    if (tx.connection.options.type === 'postgres')
      query.setLock('pessimistic_write', undefined, ['d']).setOnLocked('skip_locked');
    const due = await query.getMany();
    const claimed: ClaimedDelivery[] = [];
    for (const delivery of due) {
      const changes = { claimedBy, nextAttemptAt: leaseUntil, attempts: delivery.attempts + 1 };
      const held = await compareAndSet(
        tx,
        WebhookDeliveryEntity,
        { id: delivery.id, status: 'pending', nextAttemptAt: delivery.nextAttemptAt },
        changes,
      );
      if (!held) continue;
      const [webhook, event] = await Promise.all([
        tx.getRepository(WebhookEntity).findOneByOrFail({ id: delivery.webhookId }),
        tx.getRepository(DomainEventEntity).findOneByOrFail({ seq: delivery.eventSeq }),
      ]);
      claimed.push({ delivery: { ...delivery, ...changes }, webhook, event });
    }
    return claimed;
  }

  private dueQuery(manager: Tx, now: string) {
    return manager
      .getRepository(WebhookDeliveryEntity)
      .createQueryBuilder('d')
      .innerJoin(WebhookEntity, 'w', 'w.id = d.webhookId AND w.deletedAt IS NULL')
      .where('d.status = :pending', { pending: 'pending' })
      .andWhere('d.nextAttemptAt <= :now', { now })
      .andWhere(
        `NOT EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e."webhookId" = d."webhookId" AND e."entityKey" = d."entityKey" AND e."eventSeq" < d."eventSeq" AND e.status = :pending)`,
      );
  }

  async insertAttempt(tx: Tx, attempt: WebhookDeliveryAttemptEntity): Promise<void> {
    await tx.getRepository(WebhookDeliveryAttemptEntity).insert(attempt);
  }

  /** Records an attempt's outcome while this worker still holds the claim; false when it was lost meanwhile. */
  async settle(
    tx: Tx,
    delivery: WebhookDeliveryEntity,
    to: DeliveryStatus,
    changes: Partial<WebhookDeliveryEntity>,
  ): Promise<boolean> {
    const also = { claimedBy: delivery.claimedBy ?? IsNull(), nextAttemptAt: delivery.nextAttemptAt };
    if (to === 'pending')
      return compareAndSet(tx, WebhookDeliveryEntity, { id: delivery.id, status: 'pending', ...also }, changes);
    return DELIVERY_STATUS.tryMove(tx, delivery.id, 'pending', to, changes, also);
  }
}
