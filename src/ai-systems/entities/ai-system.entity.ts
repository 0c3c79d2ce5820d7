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
export const SOC2_CATEGORIES = [
  'security',
  'availability',
  'confidentiality',
  'processing_integrity',
  'privacy',
] as const;

/** AI Act Art. 3(3)-(7): the operator roles; each carries its own duties. */
export const AI_ACT_ROLES = ['provider', 'deployer', 'importer', 'distributor'] as const;
/** Art. 27(1), 26(8), 49(3): public authorities (bodies governed by public law) and private providers of public services. */
export const AI_ACT_PUBLIC_SECTOR = ['public_authority', 'public_service', 'none'] as const;
/** The points of Art. 5(1): each is a banned practice. */
export const PROHIBITED_PRACTICES = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'] as const;
/** Annex III areas and their lettered points (area 2, critical infrastructure, has none). */
export const ANNEX_III_POINTS = {
  '1': ['1(a)', '1(b)', '1(c)'],
  '2': [],
  '3': ['3(a)', '3(b)', '3(c)', '3(d)'],
  '4': ['4(a)', '4(b)'],
  '5': ['5(a)', '5(b)', '5(c)', '5(d)'],
  '6': ['6(a)', '6(b)', '6(c)', '6(d)', '6(e)'],
  '7': ['7(a)', '7(b)', '7(c)', '7(d)'],
  '8': ['8(a)', '8(b)'],
} as const satisfies Record<string, readonly string[]>;
export const ANNEX_III_AREAS = Object.keys(ANNEX_III_POINTS) as Array<keyof typeof ANNEX_III_POINTS>;
export const ANNEX_III_POINT_IDS: readonly string[] = Object.values(ANNEX_III_POINTS).flat();
/** The conditions of Art. 6(3) under which an Annex III system is not high-risk. */
export const ART6_DEROGATIONS = ['a', 'b', 'c', 'd'] as const;
/** What brings a system under Art. 50: (1) interaction, (2) synthetic content, (3) emotion recognition or biometric categorisation, (4) deepfakes and public-interest text. */
export const TRANSPARENCY_TRIGGERS = [
  'interacts_with_people',
  'synthetic_content',
  'emotion_recognition',
  'biometric_categorisation',
  'deepfake',
  'public_interest_text',
] as const;
/** Whether the organisation provides a general-purpose AI model with this system (Art. 3(63), 51). */
export const GPAI_MODELS = ['none', 'gpai', 'gpai_systemic_risk'] as const;

export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];
export type ModelKind = (typeof MODEL_KINDS)[number];
export type AutonomyLevel = (typeof AUTONOMY_LEVELS)[number];
export type RiskTier = (typeof RISK_TIERS)[number];
/** The orders a systems list can be asked for: by name (default), by risk tier (prohibited first), by last change. */
export const SYSTEM_SORTS = ['name', 'risk', 'updated'] as const;
export type SystemSort = (typeof SYSTEM_SORTS)[number];
export type UseCaseDomain = (typeof USE_CASE_DOMAINS)[number];
export type HipaaRole = (typeof HIPAA_ROLES)[number];
export type GdprRole = (typeof GDPR_ROLES)[number];
export type Soc2Category = (typeof SOC2_CATEGORIES)[number];
export type AiActRole = (typeof AI_ACT_ROLES)[number];
export type AiActPublicSector = (typeof AI_ACT_PUBLIC_SECTOR)[number];
export type ProhibitedPractice = (typeof PROHIBITED_PRACTICES)[number];
export type AnnexIIIArea = (typeof ANNEX_III_AREAS)[number];
export type Art6Derogation = (typeof ART6_DEROGATIONS)[number];
export type TransparencyTrigger = (typeof TRANSPARENCY_TRIGGERS)[number];
export type GpaiModel = (typeof GPAI_MODELS)[number];

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

  // EU AI Act facts (Regulation (EU) 2024/1689). null is "not answered yet", except for annexIIIArea, annexIIIPoint
  // and art6Derogation, where null is the answer "none".

  /** Placed on the EU market, put into service or used in the EU, or its output used there (Art. 2(1)). */
  @Column({ type: 'boolean', nullable: true })
  aiActEuNexus: boolean | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  aiActRole: AiActRole | null;

  /** The organisation is established in the Union; a provider outside it needs an authorised representative (Art. 22). */
  @Column({ type: 'boolean', nullable: true })
  aiActEstablishedInEu: boolean | null;

  @Column({ type: 'varchar', length: 24, nullable: true })
  aiActPublicSector: AiActPublicSector | null;

  /** The Art. 5(1) points the system performs, from the screening questions; [] when screened clear. */
  @Column({ type: 'simple-json', nullable: true })
  prohibitedPractices: ProhibitedPractice[] | null;

  /** A safety component of, or itself, an Annex I product that needs third-party conformity assessment (Art. 6(1)). */
  @Column({ type: 'boolean', nullable: true })
  annexIProduct: boolean | null;

  @Column({ type: 'varchar', length: 2, nullable: true })
  annexIIIArea: AnnexIIIArea | null;

  /** A point of the area, e.g. 4(a). */
  @Column({ type: 'varchar', length: 8, nullable: true })
  annexIIIPoint: string | null;

  @Column({ type: 'varchar', length: 2, nullable: true })
  art6Derogation: Art6Derogation | null;

  /** Profiling of natural persons keeps an Annex III system high-risk whatever the derogation (Art. 6(3), third subparagraph). */
  @Column({ type: 'boolean', nullable: true })
  profilesPeople: boolean | null;

  @Column({ type: 'simple-json', nullable: true })
  transparencyTriggers: TransparencyTrigger[] | null;

  @Column({ type: 'varchar', length: 24, nullable: true })
  gpaiModel: GpaiModel | null;

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
