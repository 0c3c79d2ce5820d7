import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN } from '../../common/time';

@Entity('frameworks')
export class FrameworkEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  key: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 120 })
  version: string;

  @Column({ type: 'varchar', length: 200 })
  publisher: string;

  @Column({ type: 'varchar', length: 300 })
  source: string;

  @Column({ type: 'text' })
  licence: string;

  /** SHA-256 of the catalog file as loaded; a different hash means the catalog changed. */
  @Column({ type: 'varchar', length: 64 })
  contentHash: string;

  @Column(TIMESTAMP_COLUMN)
  loadedAt: string;
}

@Entity('requirements')
@Index('UQ_requirements_framework_ref', ['frameworkKey', 'ref'], { unique: true })
export class RequirementEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 64 })
  frameworkKey: string;

  @ManyToOne(() => FrameworkEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'frameworkKey' })
  framework?: FrameworkEntity;

  @Column({ type: 'varchar', length: 64 })
  ref: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  parentRef: string | null;

  @Column({ type: 'varchar', length: 32 })
  level: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @Column({ type: 'simple-json' })
  attributes: Record<string, string>;

  @Column({ type: 'boolean' })
  isLeaf: boolean;

  @Column({ type: 'integer' })
  position: number;

  /** Organisational requirements (not per AI system) carry the reason; null for per-system ones. */
  @Column({ type: 'text', nullable: true })
  organisationalReason: string | null;

  /** Set when a newer catalog no longer lists the requirement; kept so evidence links survive. */
  @Column({ ...TIMESTAMP_COLUMN, nullable: true })
  retiredAt: string | null;
}

@Entity('controls')
export class ControlEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  code: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text' })
  objective: string;

  @Column({ type: 'varchar', length: 48 })
  domain: string;

  @Column({ type: 'varchar', length: 32 })
  ownerRole: string;

  @Column({ type: 'simple-json' })
  typicalEvidence: string[];

  @Column({ type: 'text' })
  testProcedure: string;

  @Column({ type: 'varchar', length: 16 })
  reviewFrequency: string;

  @Column({ type: 'integer' })
  position: number;

  @Column({ ...TIMESTAMP_COLUMN, nullable: true })
  retiredAt: string | null;
}

@Entity('control_mappings')
@Index('UQ_control_mappings_pair', ['controlCode', 'requirementId'], { unique: true })
export class ControlMappingEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 32 })
  controlCode: string;

  @ManyToOne(() => ControlEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'controlCode' })
  control?: ControlEntity;

  @Index('IDX_control_mappings_requirement')
  @Column({ type: 'varchar', length: 36 })
  requirementId: string;

  @ManyToOne(() => RequirementEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'requirementId' })
  requirement?: RequirementEntity;

  @Column({ type: 'varchar', length: 24 })
  relationship: string;

  @Column({ type: 'integer' })
  strength: number;

  @Column({ type: 'text' })
  rationale: string;
}

/** Hash of each policy file set as last loaded, so an unchanged start-up writes nothing. */
@Entity('policy_state')
export class PolicyStateEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  name: string;

  @Column({ type: 'varchar', length: 64 })
  contentHash: string;

  @Column(TIMESTAMP_COLUMN)
  loadedAt: string;
}
