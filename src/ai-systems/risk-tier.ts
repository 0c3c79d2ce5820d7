import type { AutonomyLevel, ModelKind, RiskTier, UseCaseDomain } from './entities/ai-system.entity';

export interface RiskAnswers {
  useCaseDomain: UseCaseDomain;
  modelKind: ModelKind;
  autonomy: AutonomyLevel;
  significantDecisions: boolean;
  specialCategoryData: boolean;
  phi: boolean;
  childrensData: boolean;
  personalData: boolean;
}

// Uses the EU AI Act's tiers as the vocabulary: practices it bans, the high-risk areas of its Annex III, and
// transparency duties for systems that talk to people or generate content.
const PROHIBITED_USES: UseCaseDomain[] = ['social_scoring', 'subliminal_manipulation'];
const HIGH_RISK_USES: UseCaseDomain[] = [
  'employment',
  'education',
  'credit',
  'insurance',
  'law_enforcement',
  'biometric_identification',
  'critical_infrastructure',
  'migration',
  'justice',
];

/** The risk tier that follows from a system's answers, with the reason in words. */
export function computeRiskTier(answers: RiskAnswers): { tier: RiskTier; reason: string } {
  if (PROHIBITED_USES.includes(answers.useCaseDomain)) {
    return { tier: 'prohibited', reason: `Use case "${answers.useCaseDomain}" is a prohibited AI practice` };
  }
  if (HIGH_RISK_USES.includes(answers.useCaseDomain)) {
    return { tier: 'high', reason: `Use case "${answers.useCaseDomain}" is a high-risk area (decisions about people's access to essential opportunities)` };
  }
  if (answers.significantDecisions && answers.autonomy !== 'human_in_the_loop') {
    return { tier: 'high', reason: 'Outputs drive decisions with significant effects on people without a human reviewing each one' };
  }
  if (answers.useCaseDomain === 'healthcare' && (answers.phi || answers.significantDecisions)) {
    return { tier: 'high', reason: 'Healthcare use on health data or with significant effects on patients' };
  }
  if (answers.significantDecisions || answers.specialCategoryData || answers.childrensData) {
    return { tier: 'limited', reason: 'Significant decisions under human review, or sensitive data (special-category or children\'s)' };
  }
  if (answers.modelKind === 'generative') {
    return { tier: 'limited', reason: 'Generative system: people must be told they interact with AI and its content is AI-generated' };
  }
  if (answers.personalData) return { tier: 'limited', reason: 'Processes personal data; transparency duties apply' };
  return { tier: 'minimal', reason: 'No high-risk use, sensitive data or significant decisions' };
}
