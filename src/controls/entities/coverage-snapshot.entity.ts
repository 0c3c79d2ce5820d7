import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One day's coverage counts of one applicable framework of one system, copied from its coverage summary the first
 * time that day the dashboard is drawn: the points of the dashboard's trend. Derived data, never edited.
 */
@Entity('coverage_snapshots')
export class CoverageSnapshotEntity {
  /** The UTC day, YYYY-MM-DD. */
  @PrimaryColumn({ type: 'varchar', length: 10 })
  day: string;

  @PrimaryColumn({ type: 'varchar', length: 36 })
  systemId: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  framework: string;

  @Column({ type: 'integer' })
  applicable: number;

  @Column({ type: 'integer' })
  covered: number;

  @Column({ type: 'integer' })
  partial: number;

  @Column({ type: 'integer' })
  gap: number;
}
