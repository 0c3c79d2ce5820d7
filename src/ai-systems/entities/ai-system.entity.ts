import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN } from '../../common/time';

export const LIFECYCLE_STAGES = ['design', 'development', 'validation', 'deployed', 'retired'] as const;
export const MODEL_KINDS = ['generative', 'predictive', 'rules'] as const;
export const AUTONOMY_LEVELS = ['human_in_the_loop', 'human_on_the_loop', 'autonomous'] as const;
export const RISK_TIERS = ['prohibited', 'high', 'limited', 'minimal'] as const;
export const USE_CASE_DOMAINS = [
  'healthcare',
  'employment',
  'education',
  'credit',
  'insurance',
  'law_enforcement',
  'biometric_identification',
  'critical_infrastructure',
  'migration',
  'justice',
  'social_scoring',
  'subliminal_manipulation',
  'customer_service',
  'marketing',
  'internal_productivity',
  'software_engineering',
  'other',
] as const;

export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];
export type ModelKind = (typeof MODEL_KINDS)[number];
export type AutonomyLevel = (typeof AUTONOMY_LEVELS)[number];
export type RiskTier = (typeof RISK_TIERS)[number];
export type UseCaseDomain = (typeof USE_CASE_DOMAINS)[number];

@Entity('ai_systems')
export class AiSystemEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Index('IDX_ai_systems_name')
  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'text' })
  purpose: string;

  @Column({ type: 'varchar', length: 200 })
  owner: string;

  @Column({ type: 'varchar', length: 16 })
  lifecycleStage: LifecycleStage;

  @Column({ type: 'varchar', length: 16 })
  modelKind: ModelKind;

  @Column({ type: 'varchar', length: 40 })
  useCaseDomain: UseCaseDomain;

  @Column({ type: 'varchar', length: 200, default: '' })
  vendor: string;

  @Column({ type: 'simple-json' })
  thirdPartyModels: string[];

  @Column({ type: 'varchar', length: 24 })
  autonomy: AutonomyLevel;

  @Column({ type: 'text', default: '' })
  humanOversight: string;

  /** Outputs feed decisions with legal or similarly significant effects on people. */
  @Column({ type: 'boolean', default: false })
  significantDecisions: boolean;

  @Column({ type: 'boolean', default: false })
  personalData: boolean;

  @Column({ type: 'boolean', default: false })
  specialCategoryData: boolean;

  @Column({ type: 'boolean', default: false })
  phi: boolean;

  @Column({ type: 'boolean', default: false })
  childrensData: boolean;

  /** ISO 3166 alpha-2 codes of the data subjects' jurisdictions, plus "EU" for the Union as a whole. */
  @Column({ type: 'simple-json' })
  jurisdictions: string[];

  @Column({ type: 'boolean', default: false })
  soc2InScope: boolean;

  @Column({ type: 'varchar', length: 16 })
  computedRiskTier: RiskTier;

  @Column({ type: 'text' })
  riskTierReason: string;

  @Column({ type: 'varchar', length: 16, nullable: true })
  riskTierOverride: RiskTier | null;

  @Column({ type: 'text', nullable: true })
  riskTierOverrideJustification: string | null;

  @Column({ type: 'varchar', length: 80, default: '' })
  modelVersion: string;

  /** When modelVersion last changed; evidence collected before it is stale. */
  @Column({ ...TIMESTAMP_COLUMN, nullable: true })
  modelVersionChangedAt: string | null;

  @Column({ type: 'varchar', length: 80, default: '' })
  trainingDataVersion: string;

  @Column({ ...TIMESTAMP_COLUMN, nullable: true })
  archivedAt: string | null;

  @Column(TIMESTAMP_COLUMN)
  createdAt: string;

  @Column(TIMESTAMP_COLUMN)
  updatedAt: string;
}
