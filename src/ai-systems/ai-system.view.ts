import { AiSystemEntity } from './entities/ai-system.entity';
import { effectiveRiskTier } from './applicability.service';

export function toSystemView(s: AiSystemEntity) {
  return {
    id: s.id,
    name: s.name,
    purpose: s.purpose,
    owner: s.owner,
    lifecycleStage: s.lifecycleStage,
    modelKind: s.modelKind,
    useCaseDomain: s.useCaseDomain,
    vendor: s.vendor,
    thirdPartyModels: s.thirdPartyModels,
    autonomy: s.autonomy,
    humanOversight: s.humanOversight,
    significantDecisions: s.significantDecisions,
    dataCategories: {
      personalData: s.personalData,
      specialCategoryData: s.specialCategoryData,
      phi: s.phi,
      childrensData: s.childrensData,
    },
    jurisdictions: s.jurisdictions,
    hipaaRole: s.hipaaRole,
    gdprEstablishment: s.gdprEstablishment,
    gdprOffersToEu: s.gdprOffersToEu,
    gdprMonitorsEu: s.gdprMonitorsEu,
    gdprRole: s.gdprRole,
    gdprConsentBasis: s.gdprConsentBasis,
    gdprCriminalData: s.gdprCriminalData,
    gdprPublicBody: s.gdprPublicBody,
    gdprLargeScaleMonitoring: s.gdprLargeScaleMonitoring,
    gdprLargeScaleSensitiveData: s.gdprLargeScaleSensitiveData,
    gdprThirdCountryTransfers: s.gdprThirdCountryTransfers,
    gdprArchivingOrResearch: s.gdprArchivingOrResearch,
    soc2Categories: s.soc2Categories,
    /** Kept for clients of the first API version: in scope when any SOC 2 category is chosen. */
    soc2InScope: s.soc2Categories.length > 0,
    applicabilityNeedsReview: s.applicabilityReviewFacts.length > 0,
    applicabilityReviewFacts: s.applicabilityReviewFacts,
    riskTier: effectiveRiskTier(s),
    computedRiskTier: s.computedRiskTier,
    riskTierReason: s.riskTierReason,
    riskTierOverride: s.riskTierOverride,
    riskTierOverrideJustification: s.riskTierOverrideJustification,
    modelVersion: s.modelVersion,
    modelVersionChangedAt: s.modelVersionChangedAt,
    trainingDataVersion: s.trainingDataVersion,
    archived: s.archivedAt !== null,
    archivedAt: s.archivedAt,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}

export type SystemView = ReturnType<typeof toSystemView>;
