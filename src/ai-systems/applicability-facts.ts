import { invalid } from '../common/domain-errors';
import { factsOf } from './applicability.service';
import { ANSWERABLE_FACTS, AnswerableFact, GDPR_DUTY_FACTS } from './applicability-questions';
import { AiSystemEntity, ANNEX_III_POINTS, SOC2_CATEGORIES, Soc2Category } from './entities/ai-system.entity';

/** What a pre-category answer of "in SOC 2 scope" meant: every criterion, privacy only with personal data. */
export function presumedSoc2Categories(personalData: boolean): Soc2Category[] {
  return SOC2_CATEGORIES.filter((c) => c !== 'privacy' || personalData);
}

export function sortedSoc2Categories(categories: readonly Soc2Category[]): Soc2Category[] {
  return SOC2_CATEGORIES.filter((c) => categories.includes(c));
}

/**
 * The categories after a write that may carry the deprecated `soc2InScope` flag. undefined: unchanged. A bare
 * `soc2InScope: true` on a system without categories presumes what it meant before categories existed (every
 * category; privacy with personal data) and marks the answer for review.
 */
export function soc2CategoriesAfter(
  input: { soc2Categories?: Soc2Category[]; soc2InScope?: boolean },
  current: Soc2Category[],
  personalData: boolean,
): { categories: Soc2Category[]; presumed: boolean } | undefined {
  const { soc2Categories, soc2InScope } = input;
  if (soc2Categories !== undefined) {
    if (soc2InScope !== undefined && soc2InScope !== soc2Categories.length > 0) {
      throw invalid('soc2InScope contradicts soc2Categories; send soc2Categories only (soc2InScope is deprecated)', [
        `soc2InScope is ${soc2InScope} but soc2Categories ${soc2Categories.length > 0 ? 'names categories' : 'is empty'}`,
      ]);
    }
    return { categories: sortedSoc2Categories(soc2Categories), presumed: false };
  }
  if (soc2InScope === undefined) return undefined;
  if (!soc2InScope) return { categories: [], presumed: false };
  if (current.length > 0) return undefined;
  return { categories: presumedSoc2Categories(personalData), presumed: true };
}

/** The facts whose answer can change this system's applicability, given its other answers. */
export function relevantFacts(system: AiSystemEntity): Set<AnswerableFact> {
  const relevant = new Set<AnswerableFact>(['soc2Categories']);
  if (system.phi) relevant.add('hipaaRole');
  if (factsOf(system).personalData) {
    relevant.add('gdprEstablishment');
    // Art. 3(2) and Art. 27 only matter for an organisation not (known to be) established in the Union.
    if (system.gdprEstablishment !== true) {
      relevant.add('gdprOffersToEu');
      relevant.add('gdprMonitorsEu');
    }
    const outsideArt3 =
      system.gdprEstablishment === false && system.gdprOffersToEu === false && system.gdprMonitorsEu === false;
    if (!outsideArt3) GDPR_DUTY_FACTS.forEach((f) => relevant.add(f));
  }
  // Every AI system is asked whether the AI Act reaches it (Art. 2(1)); its other facts matter only if it may.
  relevant.add('aiActEuNexus');
  if (system.aiActEuNexus !== false) {
    (
      [
        'aiActRole',
        'prohibitedPractices',
        'annexIProduct',
        'annexIIIArea',
        'transparencyTriggers',
        'gpaiModel',
      ] as const
    ).forEach((f) => relevant.add(f));
    const provider = system.aiActRole === 'provider' || system.aiActRole === null;
    const deployer = system.aiActRole === 'deployer' || system.aiActRole === null;
    if (system.annexIIIArea !== null) {
      if (ANNEX_III_POINTS[system.annexIIIArea].length > 0) relevant.add('annexIIIPoint');
      relevant.add('art6Derogation');
      if (system.art6Derogation !== null) relevant.add('profilesPeople');
      // Art. 26(8), 27(1), 49(3): public authorities and providers of public services deploying Annex III systems.
      if (deployer) relevant.add('aiActPublicSector');
    }
    // Art. 22: a provider of a high-risk system outside the Union appoints a representative.
    if (provider && (system.annexIProduct === true || system.annexIIIArea !== null))
      relevant.add('aiActEstablishedInEu');
  }
  return relevant;
}

/** Facts whose null is an answer ("none"), not a question left open: flagged only when a presumed answer awaits review. */
export const NULL_IS_NONE: ReadonlySet<string> = new Set(['annexIIIArea', 'art6Derogation']);

/**
 * The facts to review after a write: every relevant fact still unanswered, and every fact flagged before (a
 * presumed answer) that this write did not answer. Answering a fact, even with the same value, clears it.
 */
export function reviewFactsAfter(
  system: AiSystemEntity,
  previous: readonly string[],
  answered: ReadonlySet<string>,
): AnswerableFact[] {
  const relevant = relevantFacts(system);
  return ANSWERABLE_FACTS.filter((fact) => {
    if (!relevant.has(fact)) return false;
    if (system[fact] === null && !NULL_IS_NONE.has(fact)) return true;
    return previous.includes(fact) && !answered.has(fact);
  });
}
