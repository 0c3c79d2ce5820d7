import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN } from '../../common/time';
import { AiSystemEntity } from '../../ai-systems/entities/ai-system.entity';
import { ControlEntity, RequirementEntity } from '../../catalog/entities/catalog.entities';

export const EVIDENCE_KINDS = [
  'document',
  'screenshot',
  'test_report',
  'log_export',
  'configuration',
  'attestation',
  'model_card',
  'assessment',
  // A red-team exercise: names the MITRE ATLAS techniques it tested (atlasTechniqueIds) and its outcome.
  'red_team_report',
  // Structured (policies/evidence-kinds/): an evaluation run's metrics and thresholds, an AI bill of materials
  // (CycloneDX 1.6 ML-BOM). Their files must be JSON of the kind's schema.
  'evaluation',
  'ai_bom',
  'other',
] as const;
/** pass: the system resisted the techniques tested; fail: at least one succeeded (a finding to fix). */
export const RED_TEAM_OUTCOMES = ['pass', 'fail'] as const;
export type RedTeamOutcome = (typeof RED_TEAM_OUTCOMES)[number];
/** Which side of its threshold an evaluation metric passes on (evidence kind `evaluation`). */
export const METRIC_DIRECTIONS = ['higher_is_better', 'lower_is_better'] as const;
export type MetricDirection = (typeof METRIC_DIRECTIONS)[number];
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];
export const PROVENANCE_FIELDS = [
  'source',
  'pipeline',
  'runUrl',
  'commitSha',
  'modelVersion',
  'datasetVersion',
] as const;
/** Provenance as stored with the evidence and shown in its view: only the fields that were sent. */
export type EvidenceProvenance = Partial<Record<(typeof PROVENANCE_FIELDS)[number], string>>;
export const REVIEW_STATUSES = ['submitted', 'accepted', 'rejected'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

@Entity('evidence')
@Index('IDX_evidence_system', ['systemId', 'uploadedAt'])
// The dashboard's evidence expiring soon: accepted, in validUntil order (issue 18.2).
@Index('IDX_evidence_expiry', ['reviewStatus', 'validUntil'])
export class EvidenceEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 36 })
  systemId: string;

  @ManyToOne(() => AiSystemEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'systemId' })
  system?: AiSystemEntity;

  @Column({ type: 'varchar', length: 24 })
  kind: EvidenceKind;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Index('IDX_evidence_sha256')
  @Column({ type: 'varchar', length: 64 })
  sha256: string;

  @Column({ type: 'integer' })
  sizeBytes: number;

  @Column({ type: 'varchar', length: 100 })
  mediaType: string;

  @Column({ type: 'varchar', length: 200 })
  fileName: string;

  @Column(TIMESTAMP_COLUMN)
  collectedAt: string;

  @Column(TIMESTAMP_COLUMN)
  uploadedAt: string;

  @Column({ type: 'varchar', length: 36 })
  uploadedBy: string;

  @Column({ ...TIMESTAMP_COLUMN, nullable: true })
  validUntil: string | null;

  @Column({ type: 'varchar', length: 80, default: '' })
  modelVersion: string;

  @Column({ type: 'varchar', length: 16 })
  reviewStatus: ReviewStatus;

  @Column({ type: 'varchar', length: 36, nullable: true })
  reviewedBy: string | null;

  @Column({ ...TIMESTAMP_COLUMN, nullable: true })
  reviewedAt: string | null;

  @Column({ type: 'text', nullable: true })
  reviewComment: string | null;

  /** The earlier evidence this upload replaces; the earlier row and file are kept. */
  @Column({ type: 'varchar', length: 36, nullable: true })
  supersedesId: string | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  supersededById: string | null;

  /** red_team_report only: the ATLAS technique and sub-technique ids tested (validated against the catalog). */
  @Column({ type: 'simple-json', nullable: true })
  atlasTechniqueIds: string[] | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  redTeamOutcome: RedTeamOutcome | null;

  /**
   * Where a valid-until the uploader did not give came from (policies/evidence-kinds/kinds.yaml or a control's review
   * frequency), e.g. `kind:evaluation:90` or `control:AIG-EVL-03:quarterly:91`; null when the uploader gave it or none.
   */
  @Column({ type: 'varchar', length: 80, nullable: true })
  validUntilBasis: string | null;

  /** Where it came from (a pipeline run: source, pipeline, runUrl, commitSha, modelVersion, datasetVersion); null when not said. */
  @Column({ type: 'simple-json', nullable: true })
  provenance: EvidenceProvenance | null;
}

@Entity('evidence_controls')
@Index('IDX_evidence_controls_control', ['controlCode'])
export class EvidenceControlEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  evidenceId: string;

  @PrimaryColumn({ type: 'varchar', length: 32 })
  controlCode: string;

  @ManyToOne(() => EvidenceEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'evidenceId' })
  evidence?: EvidenceEntity;

  @ManyToOne(() => ControlEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'controlCode' })
  control?: ControlEntity;
}

/**
 * The requirements an evidence item says it supports. An item that names none counts for every requirement its
 * controls map to; one that names some counts only for those (DESIGN, "Coverage rule": relevant to this requirement).
 */
@Entity('evidence_requirements')
@Index('IDX_evidence_requirements_requirement', ['requirementId'])
export class EvidenceRequirementEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  evidenceId: string;

  @PrimaryColumn({ type: 'varchar', length: 36 })
  requirementId: string;

  @ManyToOne(() => EvidenceEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'evidenceId' })
  evidence?: EvidenceEntity;

  @ManyToOne(() => RequirementEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'requirementId' })
  requirement?: RequirementEntity;
}
