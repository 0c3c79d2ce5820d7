import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN } from '../../common/time';
import type { EventType } from '../event-types';

/** An admin's subscription: events of these types are POSTed, signed with the secret, to the URL. */
@Entity('webhooks')
export class WebhookEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 2000 })
  url: string;

  @Column({ type: 'simple-json' })
  events: EventType[];

  /**
   * The HMAC key, kept as given: signing needs the key itself, so it cannot be hashed like a password. Never returned
   * after creation and never written to the audit log; database backups must be protected accordingly.
   */
  @Column({ type: 'varchar', length: 200 })
  secret: string;

  @Column({ type: 'varchar', length: 200, default: '' })
  description: string;

  @Column({ type: 'varchar', length: 36 })
  createdBy: string;

  @Column(TIMESTAMP_COLUMN)
  createdAt: string;

  /** Deleted webhooks stay for their delivery history; nothing is sent to them any more. */
  @Column({ ...TIMESTAMP_COLUMN, nullable: true })
  deletedAt: string | null;
}

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * One event to one webhook: at least once, retried with backoff. A claim moves nextAttemptAt past the send's timeout,
 * so a delivery whose instance died is due again by itself. A delivery waits while an earlier one of the same webhook
 * and entity (entityKey) is still pending.
 */
@Entity('webhook_deliveries')
@Index('IDX_webhook_deliveries_due', ['status', 'nextAttemptAt'])
@Index('IDX_webhook_deliveries_order', ['webhookId', 'entityKey', 'eventSeq'])
export class WebhookDeliveryEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 36 })
  webhookId: string;

  @ManyToOne(() => WebhookEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'webhookId' })
  webhook?: WebhookEntity;

  @Column({ type: 'integer' })
  eventSeq: number;

  @Column({ type: 'varchar', length: 36 })
  eventId: string;

  @Column({ type: 'varchar', length: 40 })
  eventType: EventType;

  /** `<entityType>:<entityId>`: deliveries of one key go out in event order. */
  @Column({ type: 'varchar', length: 80 })
  entityKey: string;

  @Column({ type: 'varchar', length: 16 })
  status: DeliveryStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column(TIMESTAMP_COLUMN)
  nextAttemptAt: string;

  @Column({ type: 'varchar', length: 80, nullable: true })
  claimedBy: string | null;

  @Column({ type: 'integer', nullable: true })
  lastStatusCode: number | null;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @Column({ ...TIMESTAMP_COLUMN, nullable: true })
  finishedAt: string | null;

  @Column(TIMESTAMP_COLUMN)
  createdAt: string;
}

/** Every attempt of a delivery, as it went: status code or error, and how long it took. */
@Entity('webhook_delivery_attempts')
@Index('IDX_webhook_delivery_attempts_delivery', ['deliveryId', 'attempt'])
export class WebhookDeliveryAttemptEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 36 })
  deliveryId: string;

  @ManyToOne(() => WebhookDeliveryEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'deliveryId' })
  delivery?: WebhookDeliveryEntity;

  @Column({ type: 'integer' })
  attempt: number;

  @Column(TIMESTAMP_COLUMN)
  startedAt: string;

  @Column({ type: 'integer' })
  durationMs: number;

  @Column({ type: 'integer', nullable: true })
  statusCode: number | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;
}
