import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TIMESTAMP_COLUMN } from '../../common/time';
import type { EventEntityType, EventType } from '../event-types';

/**
 * The outbox: one row per domain event, written in the transaction of the change it reports, so a change that rolls
 * back leaves no event and a committed one always has its event. `seq` orders the events of one entity.
 */
@Entity('domain_events')
@Index('IDX_domain_events_entity', ['entityType', 'entityId'])
export class DomainEventEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  seq: number;

  @Index('UQ_domain_events_id', { unique: true })
  @Column({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 40 })
  type: EventType;

  @Column({ type: 'varchar', length: 40 })
  entityType: EventEntityType;

  @Column({ type: 'varchar', length: 36 })
  entityId: string;

  @Column({ type: 'varchar', length: 36, nullable: true })
  systemId: string | null;

  @Column({ type: 'simple-json' })
  payload: { title: string } & Record<string, unknown>;

  @Column({ type: 'varchar', length: 320 })
  actor: string;

  /** Set for events a sweep may find again (expiring evidence, a due obligation): recorded once per key. */
  @Index('UQ_domain_events_dedupe', { unique: true })
  @Column({ type: 'varchar', length: 200, nullable: true })
  dedupeKey: string | null;

  @Column(TIMESTAMP_COLUMN)
  createdAt: string;
}
