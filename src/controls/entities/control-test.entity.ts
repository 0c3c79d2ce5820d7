import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN } from '../../common/time';
import { EvidenceEntity } from '../../evidence/entities/evidence.entity';
import { UserEntity } from '../../users/entities/user.entity';
import { ControlImplementationEntity } from './control-implementation.entity';

export const CONTROL_TEST_RESULTS = ['pass', 'fail', 'exception'] as const;
export type ControlTestResult = (typeof CONTROL_TEST_RESULTS)[number];

/** A test of a control on one system, performed by a tester who does not own the control. Never edited. */
@Entity('control_tests')
@Index('IDX_control_tests_system', ['systemId', 'controlCode', 'testedAt'])
export class ControlTestEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 36 })
  implementationId: string;

  @ManyToOne(() => ControlImplementationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'implementationId' })
  implementation?: ControlImplementationEntity;

  @Column({ type: 'varchar', length: 36 })
  systemId: string;

  @Column({ type: 'varchar', length: 32 })
  controlCode: string;

  /** When the test was performed. */
  @Column(TIMESTAMP_COLUMN)
  testedAt: string;

  @Column({ type: 'text' })
  procedure: string;

  @Column({ type: 'integer', nullable: true })
  populationSize: number | null;

  @Column({ type: 'integer', nullable: true })
  sampleSize: number | null;

  @Column({ type: 'varchar', length: 16 })
  result: ControlTestResult;

  @Column({ type: 'text', default: '' })
  notes: string;

  @Column({ type: 'varchar', length: 36 })
  testerId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'testerId' })
  tester?: UserEntity;

  @Column(TIMESTAMP_COLUMN)
  recordedAt: string;
}

@Entity('control_test_evidence')
@Index('IDX_control_test_evidence_evidence', ['evidenceId'])
export class ControlTestEvidenceEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  testId: string;

  @PrimaryColumn({ type: 'varchar', length: 36 })
  evidenceId: string;

  @ManyToOne(() => ControlTestEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'testId' })
  test?: ControlTestEntity;

  @ManyToOne(() => EvidenceEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'evidenceId' })
  evidence?: EvidenceEntity;
}
