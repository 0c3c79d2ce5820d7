import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN } from '../../common/time';

export const PACK_STATUSES = ['queued', 'rendering', 'ready', 'failed'] as const;
export type PackStatus = (typeof PACK_STATUSES)[number];

/** A pack job; rows are the queue, so any app instance may claim a queued pack. */
@Entity('evidence_packs')
@Index('IDX_evidence_packs_status', ['status', 'requestedAt'])
export class EvidencePackEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 36, nullable: true })
  systemId: string | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  auditId: string | null;

  @Column({ type: 'simple-json' })
  frameworks: string[];

  @Column(TIMESTAMP_COLUMN)
  asOf: string;

  @Column({ type: 'varchar', length: 16 })
  status: PackStatus;

  @Column({ type: 'varchar', length: 36 })
  requestedBy: string;

  @Column(TIMESTAMP_COLUMN)
  requestedAt: string;

  @Column({ ...TIMESTAMP_COLUMN, nullable: true })
  startedAt: string | null;

  @Column({ ...TIMESTAMP_COLUMN, nullable: true })
  finishedAt: string | null;

  @Column({ type: 'varchar', length: 80, nullable: true })
  claimedBy: string | null;

  /** Until when the claim holds: the rendering instance renews it; past it, any instance requeues the job. */
  @Column({ ...TIMESTAMP_COLUMN, nullable: true })
  leaseUntil: string | null;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  pdfSha256: string | null;

  @Column({ type: 'integer', nullable: true })
  pageCount: number | null;

  @Column({ type: 'integer', nullable: true })
  renderMs: number | null;

  @Column({ type: 'text', nullable: true })
  manifest: string | null;
}
