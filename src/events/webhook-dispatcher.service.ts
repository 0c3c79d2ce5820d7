import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import { AuditLogService } from '../audit-log/audit-log.service';
import { CLOCK, Clock, iso } from '../common/time';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { TransactionRunner } from '../database/transaction-runner';
import { DomainEventEntity } from './entities/domain-event.entity';
import { WebhookDeliveryAttemptEntity } from './entities/webhook.entity';
import { SendResult, WEBHOOK_SENDER, WebhookSender } from './webhook-sender';
import { signatureHeader } from './webhook-signature';
import { ClaimedDelivery, WebhooksRepository } from './webhooks.repository';

const BATCH = 10;
const DISPATCHER_ACTOR = 'system:webhook-dispatcher';
const MAX_BACKOFF_MS = 6 * 3_600_000;
/** Beyond the send's own timeout, before another instance may take a claimed delivery over. */
const LEASE_MARGIN_MS = 30_000;

/** The wait after the n-th failed attempt: the base, doubled per further failure, at most 6 hours. */
export function backoffMs(failedAttempts: number, baseMs: number): number {
  return Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.max(0, failedAttempts - 1));
}

/** The JSON a receiver gets: the same bytes on every attempt of a delivery (the signature covers them). */
export function webhookBody(event: DomainEventEntity): string {
  return JSON.stringify({
    id: event.id,
    type: event.type,
    createdAt: event.createdAt,
    entity: { type: event.entityType, id: event.entityId },
    systemId: event.systemId,
    data: event.payload,
  });
}

/**
 * Sends the outbox's pending deliveries: at least once, each attempt recorded, retried with exponential backoff until
 * maxAttempts, then failed. Every instance runs one (every dispatchIntervalMs; 0 turns it off); claims keep two
 * instances from sending the same delivery at once. A 2xx answer is delivered; anything else, a redirect included,
 * is a failed attempt.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('WebhookDispatcher');
  private readonly workerId = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`.slice(0, 80);
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private stopping = false;

  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly tx: TransactionRunner,
    private readonly auditLog: AuditLogService,
    @Inject(WEBHOOK_SENDER) private readonly sender: WebhookSender,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    const interval = this.config.webhooks.dispatchIntervalMs;
    if (interval === 0) return;
    this.timer = setInterval(() => void this.dispatchDue(), interval);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** Sends everything due now, batch by batch; returns how many attempts were made. One run at a time per instance. */
  dispatchDue(): Promise<number> {
    if (this.running) return this.running;
    this.running = this.drain()
      .catch((error) => {
        this.logger.error(`webhook dispatch failed: ${(error as Error).message}`);
        return 0;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  /**
   * Claims only what was due when the run began: a retry scheduled during the run waits for the next tick, so one
   * run makes at most one attempt per delivery.
   */
  private async drain(): Promise<number> {
    let attempts = 0;
    const dueAt = iso(this.clock.now());
    while (!this.stopping) {
      if (!(await this.webhooks.hasDue(dueAt))) break;
      const leaseUntil = iso(new Date(this.clock.now().getTime() + this.config.webhooks.timeoutMs + LEASE_MARGIN_MS));
      const claimed = await this.tx.run((tx) => this.webhooks.claimDue(tx, this.workerId, dueAt, leaseUntil, BATCH));
      if (claimed.length === 0) break;
      // One batch holds at most one delivery per webhook and entity (the earliest pending), so sending them side by
      // side keeps every entity's order.
      await Promise.all(claimed.map((c) => this.attempt(c)));
      attempts += claimed.length;
    }
    return attempts;
  }

  private async attempt({ delivery, webhook, event }: ClaimedDelivery): Promise<void> {
    const body = webhookBody(event);
    const startedAt = this.clock.now();
    const result: SendResult = await this.sender.send(
      webhook.url,
      {
        'Content-Type': 'application/json',
        'User-Agent': 'Workbench-Webhooks/1',
        'Workbench-Event': event.type,
        'Workbench-Delivery': delivery.id,
        'Workbench-Signature': signatureHeader(webhook.secret, body, Math.floor(startedAt.getTime() / 1000)),
      },
      body,
    );
    const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    const error = ok ? null : (result.error ?? `answered HTTP ${result.statusCode}`);
    const finishedAt = this.clock.now();
    const giveUp = !ok && delivery.attempts >= this.config.webhooks.maxAttempts;
    await this.tx.run(async (tx) => {
      await this.webhooks.insertAttempt(
        tx,
        Object.assign(new WebhookDeliveryAttemptEntity(), {
          id: randomUUID(),
          deliveryId: delivery.id,
          attempt: delivery.attempts,
          startedAt: iso(startedAt),
          durationMs: result.durationMs,
          statusCode: result.statusCode,
          error,
        }),
      );
      const settled = await this.webhooks.settle(tx, delivery, ok ? 'delivered' : giveUp ? 'failed' : 'pending', {
        claimedBy: null,
        lastStatusCode: result.statusCode,
        lastError: error,
        ...(ok || giveUp
          ? { finishedAt: iso(finishedAt) }
          : {
              nextAttemptAt: iso(
                new Date(finishedAt.getTime() + backoffMs(delivery.attempts, this.config.webhooks.retryBaseMs)),
              ),
            }),
      });
      if (!settled) {
        this.logger.warn(`delivery ${delivery.id}: its claim ran out during the attempt; another took it`);
        return;
      }
      // Attempts and retries are queue bookkeeping (recorded per attempt above); giving up is an outcome to keep.
      if (giveUp)
        await this.auditLog.append(tx, {
          actor: DISPATCHER_ACTOR,
          action: 'webhook.delivery.fail',
          entityType: 'webhook',
          entityId: webhook.id,
          payload: {
            deliveryId: delivery.id,
            eventId: event.id,
            eventType: event.type,
            attempts: delivery.attempts,
            error,
          },
        });
    });
  }
}
