import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ANSWERABLE_FACTS } from '../applicability-questions';
import {
  AI_ACT_PUBLIC_SECTOR,
  AI_ACT_ROLES,
  ANNEX_III_AREAS,
  ANNEX_III_POINT_IDS,
  ART6_DEROGATIONS,
  AUTONOMY_LEVELS,
  GPAI_MODELS,
  PROHIBITED_PRACTICES,
  TRANSPARENCY_TRIGGERS,
  GDPR_ROLES,
  HIPAA_ROLES,
  LIFECYCLE_STAGES,
  MODEL_KINDS,
  RISK_TIERS,
  SOC2_CATEGORIES,
  USE_CASE_DOMAINS,
} from '../entities/ai-system.entity';

// Response shapes for OpenAPI; the services return plain objects of these shapes (ai-system.view.ts).

class DataCategoriesDto {
  @ApiProperty() personalData: boolean;
  @ApiProperty() specialCategoryData: boolean;
  @ApiProperty() phi: boolean;
  @ApiProperty() childrensData: boolean;
}

export class AiSystemResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() purpose: string;
  @ApiProperty() owner: string;
  @ApiProperty({ enum: LIFECYCLE_STAGES }) lifecycleStage: string;
  @ApiProperty({ enum: MODEL_KINDS }) modelKind: string;
  @ApiProperty({ enum: USE_CASE_DOMAINS }) useCaseDomain: string;
  @ApiProperty() vendor: string;
  @ApiProperty({ type: [String] }) thirdPartyModels: string[];
  @ApiProperty({ enum: AUTONOMY_LEVELS }) autonomy: string;
  @ApiProperty() humanOversight: string;
  @ApiProperty() significantDecisions: boolean;
  @ApiProperty() internetFacing: boolean;
  @ApiProperty() usesRag: boolean;
  @ApiProperty() agentTools: boolean;
  @ApiProperty({ type: DataCategoriesDto }) dataCategories: DataCategoriesDto;
  @ApiProperty({
    type: [String],
    description: 'Where the data subjects are (context; GDPR scope follows from the Art. 3 facts)',
  })
  jurisdictions: string[];
  @ApiProperty({ enum: HIPAA_ROLES, nullable: true, description: 'null: not answered yet' }) hipaaRole: string | null;
  @ApiProperty({ type: Boolean, nullable: true }) gdprEstablishment: boolean | null;
  @ApiProperty({ type: Boolean, nullable: true }) gdprOffersToEu: boolean | null;
  @ApiProperty({ type: Boolean, nullable: true }) gdprMonitorsEu: boolean | null;
  @ApiProperty({ enum: GDPR_ROLES, nullable: true }) gdprRole: string | null;
  @ApiProperty({ type: Boolean, nullable: true }) gdprConsentBasis: boolean | null;
  @ApiProperty({ type: Boolean, nullable: true }) gdprCriminalData: boolean | null;
  @ApiProperty({ type: Boolean, nullable: true }) gdprPublicBody: boolean | null;
  @ApiProperty({ type: Boolean, nullable: true }) gdprLargeScaleMonitoring: boolean | null;
  @ApiProperty({ type: Boolean, nullable: true }) gdprLargeScaleSensitiveData: boolean | null;
  @ApiProperty({ type: Boolean, nullable: true }) gdprThirdCountryTransfers: boolean | null;
  @ApiProperty({ type: Boolean, nullable: true }) gdprArchivingOrResearch: boolean | null;
  @ApiProperty({ enum: SOC2_CATEGORIES, isArray: true }) soc2Categories: string[];
  @ApiProperty({ deprecated: true, description: 'true when any SOC 2 category is chosen' }) soc2InScope: boolean;
  @ApiProperty({ type: Boolean, nullable: true, description: 'AI Act Art. 2(1) reach; null: not answered yet' })
  aiActEuNexus: boolean | null;
  @ApiProperty({ enum: AI_ACT_ROLES, nullable: true }) aiActRole: string | null;
  @ApiProperty({ type: Boolean, nullable: true }) aiActEstablishedInEu: boolean | null;
  @ApiProperty({ enum: AI_ACT_PUBLIC_SECTOR, nullable: true }) aiActPublicSector: string | null;
  @ApiProperty({
    enum: PROHIBITED_PRACTICES,
    isArray: true,
    nullable: true,
    description: 'Art. 5(1) points; null: not screened yet',
  })
  prohibitedPractices: string[] | null;
  @ApiProperty({ type: Boolean, nullable: true }) annexIProduct: boolean | null;
  @ApiProperty({ enum: ANNEX_III_AREAS, nullable: true, description: 'null: no Annex III area' }) annexIIIArea:
    string | null;
  @ApiProperty({ enum: ANNEX_III_POINT_IDS, nullable: true }) annexIIIPoint: string | null;
  @ApiProperty({ enum: ART6_DEROGATIONS, nullable: true, description: 'null: no Art. 6(3) derogation relied on' })
  art6Derogation: string | null;
  @ApiProperty({ type: Boolean, nullable: true }) profilesPeople: boolean | null;
  @ApiProperty({ enum: TRANSPARENCY_TRIGGERS, isArray: true, nullable: true }) transparencyTriggers: string[] | null;
  @ApiProperty({ enum: GPAI_MODELS, nullable: true }) gpaiModel: string | null;
  @ApiProperty({
    description:
      'Some applicability answers were presumed (e.g. by a migration) or are missing; see applicabilityReviewFacts',
  })
  applicabilityNeedsReview: boolean;
  @ApiProperty({ enum: ANSWERABLE_FACTS, isArray: true }) applicabilityReviewFacts: string[];
  @ApiProperty({ enum: RISK_TIERS }) riskTier: string;
  @ApiProperty({ enum: RISK_TIERS }) computedRiskTier: string;
  @ApiProperty() riskTierReason: string;
  @ApiProperty({ enum: RISK_TIERS, nullable: true }) riskTierOverride: string | null;
  @ApiProperty({ type: String, nullable: true }) riskTierOverrideJustification: string | null;
  @ApiProperty() modelVersion: string;
  @ApiProperty({ type: String, nullable: true }) modelVersionChangedAt: string | null;
  @ApiProperty() trainingDataVersion: string;
  @ApiProperty() archived: boolean;
  @ApiProperty({ type: String, nullable: true }) archivedAt: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class AiSystemListResponseDto {
  @ApiProperty() total: number;
  @ApiProperty({ type: [AiSystemResponseDto] }) items: AiSystemResponseDto[];
}

class FiredRuleDto {
  @ApiProperty() id: string;
  @ApiProperty() reason: string;
  @ApiProperty({ description: 'The article, section or criterion the rule rests on' }) basis: string;
  @ApiProperty({ type: [String], description: 'Unanswered facts the rule was taken to hold on' }) assumed: string[];
}

class FrameworkApplicabilityDto {
  @ApiProperty() framework: string;
  @ApiProperty() name: string;
  @ApiProperty() applies: boolean;
  @ApiProperty({ type: [FiredRuleDto] }) rules: FiredRuleDto[];
}

class RequirementApplicabilityDto {
  @ApiProperty({ format: 'uuid' }) requirementId: string;
  @ApiProperty() framework: string;
  @ApiProperty() ref: string;
  @ApiProperty() title: string;
  @ApiProperty() applies: boolean;
  @ApiProperty() reason: string;
  @ApiProperty({ type: String, nullable: true }) rule: string | null;
  @ApiProperty({ type: String, nullable: true }) basis: string | null;
  @ApiProperty({ type: [String] }) assumed: string[];
}

class ReviewFactDto {
  @ApiProperty({ enum: ANSWERABLE_FACTS }) fact: string;
  @ApiProperty() label: string;
  @ApiProperty() question: string;
  @ApiPropertyOptional() hint?: string;
  @ApiProperty() basis: string;
}

export class ApplicabilityResponseDto {
  @ApiProperty({ format: 'uuid' }) systemId: string;
  @ApiProperty({ enum: RISK_TIERS }) riskTier: string;
  @ApiProperty() applicabilityNeedsReview: boolean;
  @ApiProperty({ type: [ReviewFactDto], description: 'The facts to answer, as questions' })
  reviewFacts: ReviewFactDto[];
  @ApiProperty({ type: [FrameworkApplicabilityDto] }) frameworks: FrameworkApplicabilityDto[];
  @ApiProperty({ type: [RequirementApplicabilityDto] }) requirements: RequirementApplicabilityDto[];
  @ApiProperty({
    type: [RequirementApplicabilityDto],
    description: 'Leaves of applicable frameworks that do not apply, with the reason',
  })
  notApplicable: RequirementApplicabilityDto[];
}
