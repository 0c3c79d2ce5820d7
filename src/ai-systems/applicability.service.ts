import { Injectable } from '@nestjs/common';
import type { ObligationRule, ObligationsPolicy } from '../catalog/ai-act-obligations';
import {
  ApplicabilityFacts,
  ApplicabilityPolicy,
  explain,
  Outcome,
  RequirementRule,
} from '../catalog/applicability-rules';
import { CatalogIndex, CatalogSnapshot } from '../catalog/catalog-index';
import { PolicyLoader } from '../catalog/policy-loader.service';
import { appendTo } from '../common/multimap';
import { AiSystemEntity } from './entities/ai-system.entity';
import { highRiskRoutes } from './risk-tier';

export interface FiredRule {
  id: string;
  reason: string;
  basis: string;
  /** Unanswered facts this rule was taken to hold on; empty when the answers given decide it. */
  assumed: string[];
}

export interface FrameworkApplicability {
  framework: string;
  name: string;
  applies: boolean;
  /** Each rule that fired, by id, reason and legal basis; empty when the framework does not apply. */
  rules: FiredRule[];
}

export interface RequirementApplicability {
  requirementId: string;
  framework: string;
  ref: string;
  title: string;
  applies: boolean;
  /** Why it applies (the framework or requirement rules) or why not (organisational, a condition not met). */
  reason: string;
  /** The rule that decided (the most specific requirement rule, else the framework rule); null when none did. */
  rule: string | null;
  /** The provision the deciding rule rests on. */
  basis: string | null;
  /** Unanswered facts the judgment rests on. */
  assumed: string[];
}

export interface SystemApplicability {
  frameworks: FrameworkApplicability[];
  requirements: RequirementApplicability[];
}

export function effectiveRiskTier(system: AiSystemEntity): string {
  return system.riskTierOverride ?? system.computedRiskTier;
}

export function factsOf(system: AiSystemEntity): ApplicabilityFacts {
  return {
    // Special-category data, children's data and PHI are personal data by definition (GDPR Art. 4(1), 9(1);
    // 45 CFR 160.103 "individually identifiable"), and PHI is data concerning health (Art. 4(15), 9(1)).
    personalData: system.personalData || system.specialCategoryData || system.childrensData || system.phi,
    specialCategoryData: system.specialCategoryData || system.phi,
    phi: system.phi,
    childrensData: system.childrensData,
    significantDecisions: system.significantDecisions,
    thirdParty: system.thirdPartyModels.length > 0 || system.vendor.trim() !== '',
    internetFacing: system.internetFacing,
    usesRag: system.usesRag,
    agentTools: system.agentTools,
    modelKind: system.modelKind,
    lifecycleStage: system.lifecycleStage,
    autonomy: system.autonomy,
    useCaseDomain: system.useCaseDomain,
    riskTier: effectiveRiskTier(system),
    jurisdictions: system.jurisdictions,
    hipaaRole: system.hipaaRole,
    gdprEstablishment: system.gdprEstablishment,
    gdprOffersToEu: system.gdprOffersToEu,
    gdprMonitorsEu: system.gdprMonitorsEu,
    gdprRole: system.gdprRole,
    gdprConsentBasis: system.gdprConsentBasis,
    gdprCriminalData: system.gdprCriminalData,
    gdprPublicBody: system.gdprPublicBody,
    gdprLargeScaleMonitoring: system.gdprLargeScaleMonitoring,
    gdprLargeScaleSensitiveData: system.gdprLargeScaleSensitiveData,
    gdprThirdCountryTransfers: system.gdprThirdCountryTransfers,
    gdprArchivingOrResearch: system.gdprArchivingOrResearch,
    soc2Categories: system.soc2Categories,
    aiActEuNexus: system.aiActEuNexus,
    aiActRole: system.aiActRole,
    aiActEstablishedInEu: system.aiActEstablishedInEu,
    aiActPublicSector: system.aiActPublicSector,
    prohibitedPractices: system.prohibitedPractices,
    annexIProduct: system.annexIProduct,
    // null is the answer "none" for these three; rules name it as 'none' so it is never read as "not answered".
    annexIIIArea: system.annexIIIArea ?? 'none',
    annexIIIPoint: system.annexIIIPoint ?? 'none',
    art6Derogation: system.art6Derogation ?? 'none',
    profilesPeople: system.profilesPeople,
    transparencyTriggers: system.transparencyTriggers,
    gpaiModel: system.gpaiModel,
    highRiskRoute: highRiskRouteFacts(system),
  };
}

/** The routes by which the system is high-risk; `override` when only a recorded override makes it high. */
export function highRiskRouteFacts(system: AiSystemEntity): string[] {
  if (effectiveRiskTier(system) !== 'high') return [];
  const routes: string[] = highRiskRoutes(system);
  return routes.length > 0 ? routes : ['override'];
}

/**
 * One requirement's answer, written as a single object literal: a spread of the leaf's fields followed by the
 * decision's made every answer a slow copy (924 leaves per evaluation: half the CPU of creating a system, with the
 * garbage it left; issue 18.4).
 */
function answer(
  base: Pick<RequirementApplicability, 'requirementId' | 'framework' | 'ref' | 'title'>,
  decision: Pick<RequirementApplicability, 'applies' | 'reason' | 'rule' | 'basis' | 'assumed'>,
): RequirementApplicability {
  return {
    requirementId: base.requirementId,
    framework: base.framework,
    ref: base.ref,
    title: base.title,
    applies: decision.applies,
    reason: decision.reason,
    rule: decision.rule,
    basis: decision.basis,
    assumed: decision.assumed,
  };
}

/** The requirement rules that reach each leaf (naming it or an ancestor), most specific first. */
type RulesByLeaf = Map<string, RequirementRule[]>;

/** The obligation rules whose refs reach each leaf of the obligations framework, in file order. */
export type ObligationsByLeaf = Map<string, ObligationRule[]>;

/** Distance from a leaf up to each ancestor: 0 for the leaf itself, 1 for its parent, ... */
function ancestorDepths(
  byRef: Map<string, CatalogSnapshot['requirements'][number]>,
  framework: string,
  ref: string,
): Map<string, number> {
  const depth = new Map<string, number>();
  let node = byRef.get(`${framework}|${ref}`);
  while (node && !depth.has(node.ref)) {
    depth.set(node.ref, depth.size);
    node = node.parentRef ? byRef.get(`${framework}|${node.parentRef}`) : undefined;
  }
  return depth;
}

export function obligationsByLeaf(catalog: CatalogSnapshot, policy: ObligationsPolicy): ObligationsByLeaf {
  const byRef = new Map(catalog.requirements.map((r) => [`${r.frameworkKey}|${r.ref}`, r]));
  const out: ObligationsByLeaf = new Map();
  for (const leaf of catalog.leavesByFramework.get(policy.framework) ?? []) {
    const depth = ancestorDepths(byRef, policy.framework, leaf.ref);
    const reaching = policy.rules.filter((rule) => rule.refs.some((ref) => depth.has(ref)));
    if (reaching.length > 0) out.set(leaf.id, reaching);
  }
  return out;
}

function rulesByLeaf(catalog: CatalogSnapshot, policy: ApplicabilityPolicy): RulesByLeaf {
  const byRef = new Map(catalog.requirements.map((r) => [`${r.frameworkKey}|${r.ref}`, r]));
  const out: RulesByLeaf = new Map();
  for (const [framework, leaves] of catalog.leavesByFramework) {
    const rules = policy.requirementRules.filter((r) => r.framework === framework);
    for (const leaf of leaves) {
      const depth = ancestorDepths(byRef, framework, leaf.ref);
      const reaching = rules
        .map((rule, order) => ({
          rule,
          order,
          distance: Math.min(...rule.refs.map((ref) => depth.get(ref) ?? Infinity)),
        }))
        .filter((r) => r.distance !== Infinity)
        .sort((a, b) => a.distance - b.distance || a.order - b.order)
        .map((r) => r.rule);
      if (reaching.length > 0) out.set(leaf.id, reaching);
    }
  }
  return out;
}

/**
 * Evaluates policies/applicability.yaml for one system; every answer names the rule that decided it and its legal basis.
 * A framework applies when one of its rules fires. A leaf of an applicable framework applies when every requirement
 * rule naming it or one of its ancestors fires (each rule narrows), unless it is organisational.
 */
@Injectable()
export class ApplicabilityService {
  // The leaf -> rules and framework -> rules indexes change only with a policy load (a new snapshot or policy set).
  private readonly leafRules = new WeakMap<
    CatalogSnapshot,
    {
      policy: ApplicabilityPolicy;
      obligations: ObligationsPolicy;
      byLeaf: RulesByLeaf;
      obligationsByLeaf: ObligationsByLeaf;
      frameworkRules: Map<string, ApplicabilityPolicy['frameworkRules']>;
    }
  >();

  constructor(
    private readonly policies: PolicyLoader,
    private readonly index: CatalogIndex,
  ) {}

  private rulesFor(catalog: CatalogSnapshot): {
    byLeaf: RulesByLeaf;
    obligationsByLeaf: ObligationsByLeaf;
    frameworkRules: Map<string, ApplicabilityPolicy['frameworkRules']>;
  } {
    const { applicability: policy, obligations } = this.policies.policies;
    const cached = this.leafRules.get(catalog);
    if (cached && cached.policy === policy && cached.obligations === obligations) return cached;
    const entry = {
      policy,
      obligations,
      byLeaf: rulesByLeaf(catalog, policy),
      obligationsByLeaf: obligationsByLeaf(catalog, obligations),
      frameworkRules: new Map<string, ApplicabilityPolicy['frameworkRules']>(),
    };
    for (const rule of policy.frameworkRules) appendTo(entry.frameworkRules, rule.framework, rule);
    this.leafRules.set(catalog, entry);
    return entry;
  }

  /** The obligation rules reaching each leaf of the obligations framework (for the obligations view). */
  obligationIndex(catalog: CatalogSnapshot): ObligationsByLeaf {
    return this.rulesFor(catalog).obligationsByLeaf;
  }

  async evaluate(system: AiSystemEntity, snapshot?: CatalogSnapshot): Promise<SystemApplicability> {
    const catalog = snapshot ?? (await this.index.get());
    const { obligations } = this.policies.policies;
    const { byLeaf, obligationsByLeaf: byObligation, frameworkRules } = this.rulesFor(catalog);
    const facts = factsOf(system);
    const outcomes = new Map<string, Outcome>();
    const outcomeOf = (rule: { id: string; when: RequirementRule['when'] }) => {
      let outcome = outcomes.get(rule.id);
      if (!outcome) outcomes.set(rule.id, (outcome = explain(rule.when, facts)));
      return outcome;
    };
    const frameworks: FrameworkApplicability[] = catalog.frameworks.map((f) => {
      const rules = (frameworkRules.get(f.key) ?? [])
        .map((r) => ({ rule: r, outcome: explain(r.when, facts) }))
        .filter((r) => r.outcome.holds)
        .map(({ rule, outcome }) => ({
          id: rule.id,
          reason: rule.reason,
          basis: rule.basis,
          assumed: outcome.assumed,
        }));
      return { framework: f.key, name: f.name, applies: rules.length > 0, rules };
    });
    const applies = new Map(frameworks.map((f) => [f.framework, f]));
    const requirements: RequirementApplicability[] = [];
    for (const framework of catalog.frameworks) {
      const frameworkResult = applies.get(framework.key)!;
      // The framework's applicability rests on assumptions only if every rule that fired does.
      const frameworkAssumed =
        frameworkResult.rules.reduce<string[] | null>(
          (least, r) => (least && least.length <= r.assumed.length ? least : r.assumed),
          null,
        ) ?? [];
      for (const leaf of catalog.leavesByFramework.get(framework.key) ?? []) {
        const base = { requirementId: leaf.id, framework: framework.key, ref: leaf.ref, title: leaf.title };
        if (!frameworkResult.applies) {
          requirements.push(
            answer(base, {
              applies: false,
              reason: `${framework.name} does not apply to this system`,
              rule: null,
              basis: null,
              assumed: [],
            }),
          );
          continue;
        }
        if (leaf.organisationalReason) {
          requirements.push(
            answer(base, {
              applies: false,
              reason: `Organisational, not per system: ${leaf.organisationalReason}`,
              rule: null,
              basis: null,
              assumed: [],
            }),
          );
          continue;
        }
        const targeting = byLeaf.get(leaf.id) ?? [];
        let obligation: { rule: ObligationRule; assumed: string[] } | null = null;
        if (framework.key === obligations.framework) {
          // A leaf of the obligations framework binds the system only when an obligation rule reaching it holds; of
          // several, the one resting on the fewest unanswered facts is named.
          const reaching = byObligation.get(leaf.id) ?? [];
          for (const rule of reaching) {
            const outcome = outcomeOf({ id: `obligation:${rule.id}`, when: rule.when });
            if (outcome.holds && (!obligation || outcome.assumed.length < obligation.assumed.length))
              obligation = { rule, assumed: outcome.assumed };
          }
          if (!obligation) {
            const first = reaching[0];
            requirements.push(
              answer(base, {
                applies: false,
                reason: first
                  ? `Condition not met (${first.basis}): ${first.reason}`
                  : 'No rule of policies/ai-act-obligations.yaml binds a system to this provision',
                rule: first ? first.id : null,
                basis: first ? first.basis : null,
                assumed: [],
              }),
            );
            continue;
          }
        }
        const obligationAssumed = obligation
          ? [...new Set([...frameworkAssumed, ...obligation.assumed])]
          : frameworkAssumed;
        if (targeting.length === 0) {
          if (obligation) {
            requirements.push(
              answer(base, {
                applies: true,
                reason: obligation.rule.reason,
                rule: obligation.rule.id,
                basis: obligation.rule.basis,
                assumed: obligationAssumed,
              }),
            );
            continue;
          }
          const first = frameworkResult.rules[0];
          requirements.push(
            answer(base, {
              applies: true,
              reason: first.reason,
              rule: first.id,
              basis: first.basis,
              assumed: frameworkAssumed,
            }),
          );
          continue;
        }
        const failed = targeting.find((r) => !outcomeOf(r).holds);
        if (failed) {
          requirements.push(
            answer(base, {
              applies: false,
              reason: `Condition not met (${failed.basis}): ${failed.reason}`,
              rule: failed.id,
              basis: failed.basis,
              assumed: [],
            }),
          );
          continue;
        }
        const assumed = new Set(obligationAssumed);
        for (const rule of targeting) outcomeOf(rule).assumed.forEach((f) => assumed.add(f));
        requirements.push(
          answer(base, {
            applies: true,
            reason: targeting.map((r) => r.reason).join(' '),
            rule: targeting[0].id,
            basis: targeting[0].basis,
            assumed: [...assumed],
          }),
        );
      }
    }
    return { frameworks, requirements };
  }
}
