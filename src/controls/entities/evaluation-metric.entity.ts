import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN } from '../../common/time';
import { EvidenceEntity, MetricDirection } from '../../evidence/entities/evidence.entity';
import { ControlTestEntity } from './control-test.entity';

/**
 * One metric of an evaluation as measured for one control: the value and threshold behind the automated control
 * test it produced (one row per test). Kept beside the test, not in it, so the control-tests model stays generic;
 * the system page draws the history of a metric from these rows. Never edited. Owned by controls,
 * which writes the rows with the tests (EvaluationTestsRecorderService).
 */
@Entity('evaluation_metrics')
@Index('IDX_evaluation_metrics_system', ['systemId', 'controlCode', 'name', 'measuredAt'])
export class EvaluationMetricEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  testId: string;

  @ManyToOne(() => ControlTestEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'testId' })
  test?: ControlTestEntity;

  @Index('IDX_evaluation_metrics_evidence')
  @Column({ type: 'varchar', length: 36 })
  evidenceId: string;

  @ManyToOne(() => EvidenceEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'evidenceId' })
  evidence?: EvidenceEntity;

  @Column({ type: 'varchar', length: 36 })
  systemId: string;

  @Column({ type: 'varchar', length: 32 })
  controlCode: string;

  @Column({ type: 'varchar', length: 80 })
  name: string;

  @Column({ type: 'double precision' })
  value: number;

  @Column({ type: 'double precision' })
  threshold: number;

  @Column({ type: 'varchar', length: 16 })
  direction: MetricDirection;

  @Column({ type: 'varchar', length: 24, default: '' })
  unit: string;

  /** model name@version and dataset name@version of the evaluation, as the file gave them. */
  @Column({ type: 'varchar', length: 210 })
  model: string;

  @Column({ type: 'varchar', length: 210 })
  dataset: string;

  /** The evidence's collectedAt: when the evaluation ran. */
  @Column(TIMESTAMP_COLUMN)
  measuredAt: string;
}
