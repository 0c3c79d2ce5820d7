import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN } from '../../common/time';

/** The coverage counts of one applicable framework of one system, as of its system's CoverageSummaryStateEntity. */
@Entity('coverage_summaries')
export class CoverageSummaryEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  systemId: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  framework: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'integer' })
  applicable: number;

  @Column({ type: 'integer' })
  covered: number;

  @Column({ type: 'integer' })
  partial: number;

  @Column({ type: 'integer' })
  gap: number;

  @Column({ type: 'integer' })
  notApplicable: number;
}

/**
 * Which inputs one system's coverage summaries were computed from. inputsSeq is the audit-log head read before the
 * inputs (every change that alters coverage appends an entry in its transaction), so a writer holding older inputs
 * (a lower seq, or the same seq computed earlier) never replaces a newer summary, on any instance.
 */
@Entity('coverage_summary_states')
export class CoverageSummaryStateEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  systemId: string;

  @Column({ type: 'integer' })
  inputsSeq: number;

  @Column({ type: 'varchar', length: 64 })
  policiesHash: string;

  @Column(TIMESTAMP_COLUMN)
  computedAt: string;

  @Column(TIMESTAMP_COLUMN)
  recheckAfter: string;

  /** Gaps over the applicable frameworks (the dashboard's order). */
  @Column({ type: 'integer' })
  gaps: number;

  /** Accepted evidence of the latest version that is stale at computedAt. */
  @Column({ type: 'integer' })
  staleEvidence: number;
}
