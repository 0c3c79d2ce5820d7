import { computeRiskTier, RiskAnswers } from './risk-tier';

const base: RiskAnswers = {
  useCaseDomain: 'internal_productivity',
  modelKind: 'predictive',
  autonomy: 'human_in_the_loop',
  significantDecisions: false,
  specialCategoryData: false,
  phi: false,
  childrensData: false,
  personalData: false,
};

describe('computeRiskTier', () => {
  it.each<[Partial<RiskAnswers>, string]>([
    [{}, 'minimal'],
    [{ useCaseDomain: 'social_scoring' }, 'prohibited'],
    [{ useCaseDomain: 'employment' }, 'high'],
    [{ significantDecisions: true, autonomy: 'autonomous' }, 'high'],
    [{ significantDecisions: true }, 'limited'],
    [{ useCaseDomain: 'healthcare', phi: true }, 'high'],
    [{ modelKind: 'generative' }, 'limited'],
    [{ personalData: true }, 'limited'],
    [{ childrensData: true }, 'limited'],
  ])('%j -> %s', (answers, tier) => {
    const result = computeRiskTier({ ...base, ...answers });
    expect(result.tier).toBe(tier);
    expect(result.reason.length).toBeGreaterThan(10);
  });
});
