import { computeRiskTier, highRiskRoutes, RiskTierFacts } from './risk-tier';

// Answers of a system the AI Act does not single out: screened, no Annex I product, no Annex III area, no Art. 50 trigger.
const base: RiskTierFacts = {
  prohibitedPractices: [],
  annexIProduct: false,
  annexIIIArea: null,
  annexIIIPoint: null,
  art6Derogation: null,
  profilesPeople: null,
  transparencyTriggers: [],
};

describe('computeRiskTier (AI Act)', () => {
  it.each<[string, Partial<RiskTierFacts>, string, RegExp]>([
    ['nothing singled out', {}, 'minimal', /no Art\. 5\(1\) practice.*Art\. 6\(1\) or 6\(2\).*Art\. 50/],
    ['social scoring', { prohibitedPractices: ['c'] }, 'prohibited', /Art\. 5\(1\)\(c\)/],
    [
      'two banned practices, cited in order',
      { prohibitedPractices: ['f', 'a'] },
      'prohibited',
      /Art\. 5\(1\)\(a\).*Art\. 5\(1\)\(f\)/,
    ],
    [
      'a banned practice outranks Annex III',
      { prohibitedPractices: ['d'], annexIIIArea: '6', annexIIIPoint: '6(d)' },
      'prohibited',
      /Art\. 5\(1\)\(d\)/,
    ],
    ['Annex I product', { annexIProduct: true }, 'high', /Art\. 6\(1\).*Annex I/],
    ['CV ranking', { annexIIIArea: '4', annexIIIPoint: '4(a)' }, 'high', /Art\. 6\(2\).*Annex III\.4\(a\)/],
    ['Annex III area without a point', { annexIIIArea: '2' }, 'high', /Annex III\.2\b/],
    [
      'derogated under 6(3)(a), no profiling',
      { annexIIIArea: '4', annexIIIPoint: '4(a)', art6Derogation: 'a', profilesPeople: false },
      'minimal',
      /Art\. 6\(3\)\(a\).*Art\. 6\(4\).*Art\. 49\(2\)/,
    ],
    [
      'derogated under 6(3)(a) but profiles people',
      { annexIIIArea: '4', annexIIIPoint: '4(a)', art6Derogation: 'a', profilesPeople: true },
      'high',
      /profiles natural persons.*Art\. 6\(3\), third subparagraph/,
    ],
    [
      'derogation with profiling unanswered stays high',
      { annexIIIArea: '5', annexIIIPoint: '5(b)', art6Derogation: 'd', profilesPeople: null },
      'high',
      /Art\. 6\(3\)\(d\).*not answered/,
    ],
    [
      'derogated and a chatbot',
      {
        annexIIIArea: '3',
        annexIIIPoint: '3(b)',
        art6Derogation: 'b',
        profilesPeople: false,
        transparencyTriggers: ['interacts_with_people'],
      },
      'limited',
      /Art\. 50\(1\).*Art\. 6\(3\)\(b\)/,
    ],
    ['chatbot', { transparencyTriggers: ['interacts_with_people'] }, 'limited', /Art\. 50\(1\)/],
    [
      'deepfakes and emotion recognition',
      { transparencyTriggers: ['deepfake', 'emotion_recognition'] },
      'limited',
      /Art\. 50\(3\).*Art\. 50\(4\)/,
    ],
  ])('%s', (_name, facts, tier, reason) => {
    const result = computeRiskTier({ ...base, ...facts });
    expect({ tier: result.tier, reason: result.reason }).toEqual({ tier, reason: expect.stringMatching(reason) });
  });

  it('names the questions not answered yet instead of guessing them', () => {
    const result = computeRiskTier({
      ...base,
      prohibitedPractices: null,
      annexIProduct: null,
      transparencyTriggers: null,
    });
    expect(result.tier).toBe('minimal');
    expect(result.reason).toMatch(
      /Not answered yet: the Art\. 5\(1\) screening, whether it is an Annex I product, the Art\. 50 triggers/,
    );
  });

  it('tells the routes to high risk apart (Art. 113(c) dates the Annex I route later)', () => {
    expect(highRiskRoutes({ ...base, annexIProduct: true })).toEqual(['annex_i']);
    expect(highRiskRoutes({ ...base, annexIIIArea: '4' })).toEqual(['annex_iii']);
    expect(highRiskRoutes({ ...base, annexIProduct: true, annexIIIArea: '2' })).toEqual(['annex_i', 'annex_iii']);
    expect(highRiskRoutes({ ...base, annexIIIArea: '4', art6Derogation: 'a', profilesPeople: false })).toEqual([]);
  });
});
