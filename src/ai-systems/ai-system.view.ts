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
    soc2InScope: s.soc2InScope,
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
