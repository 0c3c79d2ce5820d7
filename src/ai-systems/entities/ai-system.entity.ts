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

/** 45 CFR 160.103: the Security Rule binds covered entities and business associates only. */
export const HIPAA_ROLES = ['covered_entity', 'business_associate', 'none'] as const;
/** GDPR Art. 4(7), 4(8), 26: who decides on the processing decides which duties fall on the organisation. */
export const GDPR_ROLES = ['controller', 'processor', 'joint_controller'] as const;
/** AICPA TSC 2017 categories; security (the common criteria) underlies every SOC 2 report. */
export const SOC2_CATEGORIES = ['security', 'availability', 'confidentiality', 'processing_integrity', 'privacy'] as const;

export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];
export type ModelKind = (typeof MODEL_KINDS)[number];
export type AutonomyLevel = (typeof AUTONOMY_LEVELS)[number];
export type RiskTier = (typeof RISK_TIERS)[number];
export type UseCaseDomain = (typeof USE_CASE_DOMAINS)[number];
export type HipaaRole = (typeof HIPAA_ROLES)[number];
export type GdprRole = (typeof GDPR_ROLES)[number];
export type Soc2Category = (typeof SOC2_CATEGORIES)[number];

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

  /** Threat-model facts (policies/threats.yaml): reachable from the internet, retrieval-augmented, agents with tools. */
  @Column({ type: 'boolean', default: false })
  internetFacing: boolean;

  @Column({ type: 'boolean', default: false })
  usesRag: boolean;

  @Column({ type: 'boolean', default: false })
  agentTools: boolean;

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

  // Applicability facts (see applicability-facts.ts for each question and its legal basis). null means "not
  // answered yet": the rules then assume the provision applies and the system is flagged for review.

  @Column({ type: 'varchar', length: 24, nullable: true })
  hipaaRole: HipaaRole | null;

  @Column({ type: 'boolean', nullable: true })
  gdprEstablishment: boolean | null;

  @Column({ type: 'boolean', nullable: true })
  gdprOffersToEu: boolean | null;

  @Column({ type: 'boolean', nullable: true })
  gdprMonitorsEu: boolean | null;

  @Column({ type: 'varchar', length: 24, nullable: true })
  gdprRole: GdprRole | null;

  @Column({ type: 'boolean', nullable: true })
  gdprConsentBasis: boolean | null;

  @Column({ type: 'boolean', nullable: true })
  gdprCriminalData: boolean | null;

  @Column({ type: 'boolean', nullable: true })
  gdprPublicBody: boolean | null;

  @Column({ type: 'boolean', nullable: true })
  gdprLargeScaleMonitoring: boolean | null;

  @Column({ type: 'boolean', nullable: true })
  gdprLargeScaleSensitiveData: boolean | null;

  @Column({ type: 'boolean', nullable: true })
  gdprThirdCountryTransfers: boolean | null;

  @Column({ type: 'boolean', nullable: true })
  gdprArchivingOrResearch: boolean | null;

  /** Categories of the SOC 2 report this system is in; empty when it is outside the report's boundary. */
  @Column({ type: 'simple-json' })
  soc2Categories: Soc2Category[];

  /** Facts whose answer was presumed (by a migration or a deprecated field) or is missing and must be reviewed. */
  @Column({ type: 'simple-json' })
  applicabilityReviewFacts: string[];

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
