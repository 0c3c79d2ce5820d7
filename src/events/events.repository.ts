import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, IsNull } from 'typeorm';
import { Tx } from '../database/transaction-runner';
import { Role, UserEntity } from '../users/entities/user.entity';
import { DomainEventEntity } from './entities/domain-event.entity';
import { UserNotificationEntity } from './entities/user-notification.entity';
import { WebhookDeliveryEntity, WebhookEntity } from './entities/webhook.entity';
import { EventType } from './event-types';

/** The outbox and what it fans out to: webhook deliveries and user notifications, all inside the caller's transaction. */
@Injectable()
export class EventsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async hasDedupeKey(tx: Tx, dedupeKey: string): Promise<boolean> {
    return (await tx.getRepository(DomainEventEntity).countBy({ dedupeKey })) > 0;
  }

  /** Inserts the event and returns its sequence number (the order of events of one entity). */
  async insertEvent(tx: Tx, event: Omit<DomainEventEntity, 'seq'>): Promise<number> {
    const saved = await tx.getRepository(DomainEventEntity).save(Object.assign(new DomainEventEntity(), event));
    return Number(saved.seq);
  }

  /** Live webhooks subscribed to this event type (a handful per installation: filtered here, not in SQL JSON). */
  async findSubscribers(tx: Tx, type: EventType): Promise<WebhookEntity[]> {
    const hooks = await tx.getRepository(WebhookEntity).findBy({ deletedAt: IsNull() });
    return hooks.filter((h) => h.events.includes(type));
  }

  async insertDeliveries(tx: Tx, deliveries: WebhookDeliveryEntity[]): Promise<void> {
    if (deliveries.length) await tx.getRepository(WebhookDeliveryEntity).insert(deliveries);
  }

  /** Active users among these ids or of these roles. */
  async findActiveUserIds(tx: Tx, ids: string[], roles: Role[]): Promise<string[]> {
    const repo = tx.getRepository(UserEntity);
    const [named, byRole] = await Promise.all([
      ids.length ? repo.find({ select: { id: true }, where: { id: In(ids), disabled: false } }) : [],
      roles.length ? repo.find({ select: { id: true }, where: { role: In(roles), disabled: false } }) : [],
    ]);
    return [...new Set([...named, ...byRole].map((u) => u.id))];
  }

  async insertNotifications(tx: Tx, notifications: UserNotificationEntity[]): Promise<void> {
    if (notifications.length) await tx.getRepository(UserNotificationEntity).insert(notifications);
  }

  findEventById(id: string): Promise<DomainEventEntity | null> {
    return this.dataSource.getRepository(DomainEventEntity).findOneBy({ id });
  }
}
