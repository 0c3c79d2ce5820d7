import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN } from '../../common/time';

/** One link of the append-only, hash-chained audit log. */
@Entity('audit_log')
export class AuditLogEntryEntity {
  @PrimaryColumn({ type: 'integer' })
  seq: number;

  @Column(TIMESTAMP_COLUMN)
  at: string;

  @Column({ type: 'varchar', length: 254 })
  actor: string;

  @Column({ type: 'varchar', length: 64 })
  action: string;

  @Column({ type: 'varchar', length: 48 })
  entityType: string;

  @Column({ type: 'varchar', length: 120 })
  entityId: string;

  @Column({ type: 'text' })
  payload: string;

  @Column({ type: 'varchar', length: 64 })
  payloadHash: string;

  @Column({ type: 'varchar', length: 64 })
  prevHash: string;

  @Column({ type: 'varchar', length: 64 })
  hash: string;
}

/** A single row holding the chain head; locking it serialises appends across app instances on PostgreSQL. */
@Entity('audit_log_head')
export class AuditLogHeadEntity {
  @PrimaryColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'integer' })
  seq: number;

  @Column({ type: 'varchar', length: 64 })
  hash: string;
}
