// The answers a system's facts can take. They belong to catalog because the applicability rules (policies/*.yaml,
// read by applicability-rules.ts) are checked against them when a policy loads; ai-systems imports catalog for its
// entity and DTOs, so keeping them on the entity made catalog and ai-systems import each other.

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
