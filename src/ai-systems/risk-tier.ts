import type { RiskTier } from './entities/ai-system.entity';

/** The AI Act facts a system's risk tier follows from (Regulation (EU) 2024/1689). null: not answered yet (none, for the Annex III facts). */
export interface RiskTierFacts {
  prohibitedPractices: readonly string[] | null;
  annexIProduct: boolean | null;
  annexIIIArea: string | null;
  annexIIIPoint: string | null;
  art6Derogation: string | null;
  profilesPeople: boolean | null;
  transparencyTriggers: readonly string[] | null;
}

/** How a system is high-risk: through an Annex I product (Art. 6(1)) or an Annex III area (Art. 6(2)). */
export type HighRiskRoute = 'annex_i' | 'annex_iii';

export const PROHIBITED_PRACTICE_NAMES: Record<string, string> = {
  a: 'manipulative or deceptive techniques causing significant harm',
  b: 'exploiting vulnerabilities of age, disability or social or economic situation',
  c: 'social scoring leading to unfair treatment',
  d: 'predicting crime risk from profiling or personality traits alone',
  e: 'untargeted scraping of face images for recognition databases',
  f: 'emotion recognition at work or in education',
  g: 'biometric categorisation inferring sensitive traits',
  h: 'real-time remote biometric identification in public spaces for law enforcement',
};

export const ANNEX_III_AREA_NAMES: Record<string, string> = {
  '1': 'biometrics',
  '2': 'critical infrastructure',
  '3': 'education and vocational training',
  '4': 'employment and worker management',
  '5': 'access to essential private and public services',
  '6': 'law enforcement',
  '7': 'migration, asylum and border control',
  '8': 'administration of justice and democratic processes',
};

export const DEROGATION_NAMES: Record<string, string> = {
  a: 'a narrow procedural task',
  b: 'improving the result of a completed human activity',
  c: 'detecting decision patterns without replacing human review',
  d: 'a preparatory task for an Annex III assessment',
};

/** Each Art. 50 trigger and the paragraph it brings in. */
export const TRANSPARENCY_PARAGRAPH: Record<string, string> = {
  interacts_with_people: 'Art. 50(1)',
  synthetic_content: 'Art. 50(2)',
  emotion_recognition: 'Art. 50(3)',
  biometric_categorisation: 'Art. 50(3)',
  deepfake: 'Art. 50(4)',
  public_interest_text: 'Art. 50(4)',
};

const annexIIIRef = (f: RiskTierFacts) => `Annex III.${f.annexIIIPoint ?? f.annexIIIArea}`;

/** An Annex III system is out of the high-risk tier only under a 6(3) condition and only when it is known not to profile people. */
const derogated = (f: RiskTierFacts) =>
  f.annexIIIArea !== null && f.art6Derogation !== null && f.profilesPeople === false;

export function highRiskRoutes(f: RiskTierFacts): HighRiskRoute[] {
  const routes: HighRiskRoute[] = [];
  if (f.annexIProduct === true) routes.push('annex_i');
  if (f.annexIIIArea !== null && !derogated(f)) routes.push('annex_iii');
  return routes;
}

/**
 * The risk tier the AI Act's facts give a system, with the reason citing the article, paragraph, point or Annex III
 * area: prohibited (an Art. 5(1) point), high (Art. 6(1) Annex I route, or an Annex III area not derogated under
 * Art. 6(3)), limited (an Art. 50 trigger), else minimal. Unanswered facts are named, never guessed.
 */
export function computeRiskTier(f: RiskTierFacts): { tier: RiskTier; reason: string } {
  const unanswered = [
    f.prohibitedPractices === null ? 'the Art. 5(1) screening' : null,
    f.annexIProduct === null ? 'whether it is an Annex I product' : null,
    f.transparencyTriggers === null ? 'the Art. 50 triggers' : null,
  ].filter((q): q is string => q !== null);
  const pending = unanswered.length ? ` Not answered yet: ${unanswered.join(', ')}.` : '';
  const practices = [...(f.prohibitedPractices ?? [])].sort();
  if (practices.length > 0) {
    const cited = practices.map((p) => `Art. 5(1)(${p}) (${PROHIBITED_PRACTICE_NAMES[p] ?? p})`).join(', ');
    return {
      tier: 'prohibited',
      reason: `Prohibited practice under ${cited}: the system must not be placed on the market, put into service or used in the Union (Art. 5, applying since 2025-02-02).`,
    };
  }
  const high: string[] = [];
  if (f.annexIProduct === true) {
    high.push(
      'Art. 6(1): a safety component of, or itself, a product under the Union harmonisation legislation of Annex I that needs third-party conformity assessment (obligations from 2027-08-02, Art. 113(c))',
    );
  }
  let derogation = '';
  if (f.annexIIIArea !== null) {
    const area = `Art. 6(2) and ${annexIIIRef(f)} (${ANNEX_III_AREA_NAMES[f.annexIIIArea] ?? 'Annex III area'})`;
    if (f.art6Derogation === null) high.push(area);
    else if (f.profilesPeople === true) {
      high.push(
        `${area}; the Art. 6(3)(${f.art6Derogation}) derogation does not apply because the system profiles natural persons (Art. 6(3), third subparagraph)`,
      );
    } else if (f.profilesPeople === null) {
      high.push(
        `${area}; the Art. 6(3)(${f.art6Derogation}) derogation can be relied on only once it is answered that the system does not profile natural persons (Art. 6(3), third subparagraph), which is not answered yet`,
      );
    } else {
      derogation = ` ${annexIIIRef(f)} is not high-risk under Art. 6(3)(${f.art6Derogation}) (${DEROGATION_NAMES[f.art6Derogation] ?? 'derogation'}, no profiling): document the assessment before placing it on the market (Art. 6(4)) and register it (Art. 49(2)).`;
    }
  }
  if (high.length > 0) return { tier: 'high', reason: `High-risk under ${high.join('; and under ')}.${pending}` };
  const paragraphs = [
    ...new Set((f.transparencyTriggers ?? []).map((t) => TRANSPARENCY_PARAGRAPH[t]).filter(Boolean)),
  ].sort();
  if (paragraphs.length > 0) {
    const triggers = (f.transparencyTriggers ?? []).map((t) => t.replace(/_/g, ' ')).join(', ');
    return {
      tier: 'limited',
      reason: `Limited risk: transparency duties of ${paragraphs.join(', ')} (${triggers}).${derogation}${pending}`,
    };
  }
  return {
    tier: 'minimal',
    reason: `Minimal risk: no Art. 5(1) practice, not high-risk under Art. 6(1) or 6(2), no Art. 50 trigger.${derogation}${pending}`,
  };
}
