import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN } from '../../common/time';
import type {
  LifecycleStage,
  ModelKind,
  AutonomyLevel,
  RiskTier,
  UseCaseDomain,
  HipaaRole,
  GdprRole,
  Soc2Category,
  AiActRole,
  AiActPublicSector,
  ProhibitedPractice,
  AnnexIIIArea,
  Art6Derogation,
  TransparencyTrigger,
  GpaiModel,
} from '../../catalog/system-vocabularies';

// Re-exported so that ai-systems' callers keep reading a system's vocabularies from its entity.
export * from '../../catalog/system-vocabularies';

/** The orders a systems list can be asked for: by name (default), by risk tier (prohibited first), by last change. */
export const SYSTEM_SORTS = ['name', 'risk', 'updated'] as const;
export type SystemSort = (typeof SYSTEM_SORTS)[number];

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
