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
} from './system-vocabularies';
import { PolicyError } from '../common/policy-error';
import type { FrameworkDef } from './catalog-defs';
import { textOf } from '../common/text';

/** What the rules can ask about an AI system. null: the question has not been answered yet. */
export interface ApplicabilityFacts {
  personalData: boolean;
  specialCategoryData: boolean;
  phi: boolean;
  childrensData: boolean;
  significantDecisions: boolean;
  thirdParty: boolean;
  /** Threat-model facts (policies/threats.yaml). */
  internetFacing: boolean;
  usesRag: boolean;
  agentTools: boolean;
  modelKind: string;
  lifecycleStage: string;
  autonomy: string;
  useCaseDomain: string;
  riskTier: string;
  jurisdictions: string[];
  hipaaRole: string | null;
  gdprEstablishment: boolean | null;
  gdprOffersToEu: boolean | null;
  gdprMonitorsEu: boolean | null;
  gdprRole: string | null;
  gdprConsentBasis: boolean | null;
  gdprCriminalData: boolean | null;
  gdprPublicBody: boolean | null;
  gdprLargeScaleMonitoring: boolean | null;
  gdprLargeScaleSensitiveData: boolean | null;
  gdprThirdCountryTransfers: boolean | null;
  gdprArchivingOrResearch: boolean | null;
  soc2Categories: string[];
  aiActEuNexus: boolean | null;
  aiActRole: string | null;
  aiActEstablishedInEu: boolean | null;
  aiActPublicSector: string | null;
  prohibitedPractices: string[] | null;
  annexIProduct: boolean | null;
  /** '1'..'8', or 'none' (the system's null: no Annex III area). */
  annexIIIArea: string;
  /** e.g. '4(a)', or 'none'. */
  annexIIIPoint: string;
  /** 'a'..'d', or 'none'. */
  art6Derogation: string;
  profilesPeople: boolean | null;
  transparencyTriggers: string[] | null;
  gpaiModel: string | null;
  /** Derived: annex_i (Art. 6(1)), annex_iii (Art. 6(2), not derogated), override (high only by a recorded override). */
  highRiskRoute: string[];
}

interface FactSpec {
  type: 'boolean' | 'text' | 'list';
  /** The values a rule may name; any text when absent. */
  values?: readonly string[];
  /** The fact can be unanswered (null); a rule names null to say what holds until it is answered. */
  nullable?: boolean;
}

const nullableBoolean: FactSpec = { type: 'boolean', nullable: true };

/** Every fact a rule may use, with its type; a rule naming anything else is refused at load. */
export const FACTS: Record<keyof ApplicabilityFacts, FactSpec> = {
  personalData: { type: 'boolean' },
  specialCategoryData: { type: 'boolean' },
  phi: { type: 'boolean' },
  childrensData: { type: 'boolean' },
  significantDecisions: { type: 'boolean' },
  thirdParty: { type: 'boolean' },
  internetFacing: { type: 'boolean' },
  usesRag: { type: 'boolean' },
  agentTools: { type: 'boolean' },
  modelKind: { type: 'text', values: MODEL_KINDS },
  lifecycleStage: { type: 'text', values: LIFECYCLE_STAGES },
  autonomy: { type: 'text', values: AUTONOMY_LEVELS },
  useCaseDomain: { type: 'text', values: USE_CASE_DOMAINS },
  riskTier: { type: 'text', values: RISK_TIERS },
  jurisdictions: { type: 'list' },
  hipaaRole: { type: 'text', values: HIPAA_ROLES, nullable: true },
  gdprEstablishment: nullableBoolean,
  gdprOffersToEu: nullableBoolean,
  gdprMonitorsEu: nullableBoolean,
  gdprRole: { type: 'text', values: GDPR_ROLES, nullable: true },
  gdprConsentBasis: nullableBoolean,
  gdprCriminalData: nullableBoolean,
  gdprPublicBody: nullableBoolean,
  gdprLargeScaleMonitoring: nullableBoolean,
  gdprLargeScaleSensitiveData: nullableBoolean,
  gdprThirdCountryTransfers: nullableBoolean,
  gdprArchivingOrResearch: nullableBoolean,
  soc2Categories: { type: 'list', values: SOC2_CATEGORIES },
  aiActEuNexus: nullableBoolean,
  aiActRole: { type: 'text', values: AI_ACT_ROLES, nullable: true },
  aiActEstablishedInEu: nullableBoolean,
  aiActPublicSector: { type: 'text', values: AI_ACT_PUBLIC_SECTOR, nullable: true },
  prohibitedPractices: { type: 'list', values: PROHIBITED_PRACTICES, nullable: true },
  annexIProduct: nullableBoolean,
  annexIIIArea: { type: 'text', values: [...ANNEX_III_AREAS, 'none'] },
  annexIIIPoint: { type: 'text', values: [...ANNEX_III_POINT_IDS, 'none'] },
  art6Derogation: { type: 'text', values: [...ART6_DEROGATIONS, 'none'] },
  profilesPeople: nullableBoolean,
  transparencyTriggers: { type: 'list', values: TRANSPARENCY_TRIGGERS, nullable: true },
  gpaiModel: { type: 'text', values: GPAI_MODELS, nullable: true },
  highRiskRoute: { type: 'list', values: ['annex_i', 'annex_iii', 'override'] },
};

type FactValue = string | boolean | null;

export type Condition =
  | { kind: 'always' }
  | { kind: 'all' | 'any'; of: Condition[] }
  | { kind: 'not'; of: Condition }
  | { kind: 'fact'; fact: string; values: FactValue[] };

export interface FrameworkRule {
  id: string;
  framework: string;
  when: Condition;
  reason: string;
  /** The provision the rule rests on (article, paragraph, section, criterion). */
  basis: string;
}

export interface RequirementRule extends FrameworkRule {
  /** Requirement refs as written; a parent ref reaches every requirement below it. */
  refs: string[];
}

export interface ApplicabilityPolicy {
  frameworkRules: FrameworkRule[];
  requirementRules: RequirementRule[];
}

/** A condition's outcome and the unanswered facts it was decided on (those whose null a rule named). */
export interface Outcome {
  holds: boolean;
  assumed: string[];
}

export function parseCondition(raw: unknown, fail: (problem: string) => void, negated = false): Condition {
  if (raw === 'always') return { kind: 'always' };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    fail('must be "always" or a map such as {phi: true}, {all: [...]}, {any: [...]}, {not: {...}}');
    return { kind: 'always' };
  }
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length !== 1) {
    return { kind: 'all', of: entries.map(([key, value]) => parseCondition({ [key]: value }, fail, negated)) };
  }
  const [key, value] = entries[0];
  if (key === 'all' || key === 'any') {
    if (!Array.isArray(value) || value.length === 0) fail(`"${key}" must be a non-empty list of conditions`);
    return { kind: key, of: (Array.isArray(value) ? value : []).map((c) => parseCondition(c, fail, negated)) };
  }
  if (key === 'not') return { kind: 'not', of: parseCondition(value, fail, true) };
  const spec = FACTS[key as keyof ApplicabilityFacts] as FactSpec | undefined;
  const values = (Array.isArray(value) ? value : [value]) as unknown[];
  if (!spec) {
    fail(`unknown fact "${key}"; known: ${Object.keys(FACTS).join(', ')}`);
    return { kind: 'fact', fact: key, values: [] };
  }
  if (values.length === 0) fail(`"${key}" needs at least one value`);
  if (spec.nullable && negated) {
    // "not answered" is neither yes nor no: under a negation it would silently count as one of them.
    fail(`"${key}" can be unanswered; list the values it must have (e.g. [false, null]) instead of using "not"`);
  }
  for (const v of values) {
    if (v === null) {
      if (!spec.nullable) fail(`"${key}" is always answered; null is not one of its values`);
    } else if (spec.type === 'boolean' ? typeof v !== 'boolean' : typeof v !== 'string') {
      fail(
        `"${key}" takes ${spec.type === 'boolean' ? 'true or false' : 'text or a list of text'}${spec.nullable ? ' (or null: not answered yet)' : ''}`,
      );
    } else if (spec.values && !spec.values.includes(v as string)) {
      fail(`"${key}" has no value "${textOf(v)}"; known: ${spec.values.join(', ')}`);
    }
  }
  return { kind: 'fact', fact: key, values: values as FactValue[] };
}

/** Evaluates a condition; `assumed` lists the unanswered facts the outcome rests on (empty when it holds regardless). */
export function explain(condition: Condition, facts: ApplicabilityFacts): Outcome {
  switch (condition.kind) {
    case 'always':
      return { holds: true, assumed: [] };
    case 'all': {
      const assumed = new Set<string>();
      for (const part of condition.of) {
        const outcome = explain(part, facts);
        if (!outcome.holds) return { holds: false, assumed: [] };
        outcome.assumed.forEach((f) => assumed.add(f));
      }
      return { holds: true, assumed: [...assumed] };
    }
    case 'any': {
      // The branch that needs the fewest assumptions decides, so an answered branch is never reported as assumed.
      let best: Outcome | null = null;
      for (const part of condition.of) {
        const outcome = explain(part, facts);
        if (outcome.holds && (!best || outcome.assumed.length < best.assumed.length)) best = outcome;
      }
      return best ?? { holds: false, assumed: [] };
    }
    case 'not':
      return { holds: !explain(condition.of, facts).holds, assumed: [] };
    case 'fact': {
      const actual = (facts as unknown as Record<string, unknown>)[condition.fact];
      if (Array.isArray(actual))
        return { holds: actual.some((a: unknown) => condition.values.includes(a as FactValue)), assumed: [] };
      if (actual === null || actual === undefined) {
        const holds = condition.values.includes(null);
        return { holds, assumed: holds ? [condition.fact] : [] };
      }
      return { holds: condition.values.includes(actual as string | boolean), assumed: [] };
    }
  }
}

export function parseApplicability(
  doc: Record<string, unknown>,
  file: string,
  frameworks: FrameworkDef[],
  problems: PolicyError[],
): ApplicabilityPolicy {
  const known = new Map(frameworks.map((f) => [f.key, new Set(f.requirements.map((r) => r.ref))]));
  const ids = new Set<string>();
  for (const key of Object.keys(doc)) {
    if (key !== 'frameworks' && key !== 'requirements')
      problems.push(new PolicyError(file, '(document)', key, 'unknown field; allowed: frameworks, requirements'));
  }
  const read = (list: unknown, section: string, withRefs: boolean) =>
    (Array.isArray(list) ? list : []).map((raw: Record<string, unknown>, index) => {
      const id = typeof raw?.id === 'string' ? raw.id : `${section}[${index}]`;
      const fail = (field: string) => (problem: string) => problems.push(new PolicyError(file, id, field, problem));
      const allowed = ['id', 'framework', 'when', 'reason', 'basis', ...(withRefs ? ['refs'] : [])];
      for (const key of Object.keys(raw ?? {}))
        if (!allowed.includes(key)) fail(key)(`unknown field; allowed: ${allowed.join(', ')}`);
      if (typeof raw?.id !== 'string' || !/^[a-z0-9-]+$/.test(raw.id))
        fail('id')('is required: lower-case letters, digits and dashes');
      if (ids.has(id)) fail('id')('duplicate rule id');
      ids.add(id);
      const framework = textOf(raw?.framework);
      if (!known.has(framework)) fail('framework')(`unknown framework "${framework}"`);
      if (typeof raw?.reason !== 'string' || raw.reason.trim() === '')
        fail('reason')('is required: say why the rule applies');
      if (typeof raw?.basis !== 'string' || raw.basis.trim() === '')
        fail('basis')('is required: the article, section or criterion the rule rests on');
      const refs = withRefs ? (Array.isArray(raw?.refs) ? raw.refs.map(String) : []) : [];
      if (withRefs && refs.length === 0) fail('refs')('must be a non-empty list of requirement refs');
      for (const ref of refs)
        if (known.has(framework) && !known.get(framework)!.has(ref))
          fail('refs')(`unknown requirement "${ref}" in ${framework}`);
      return {
        id,
        framework,
        when: parseCondition(raw?.when, fail('when')),
        reason: textOf(raw?.reason).trim(),
        basis: textOf(raw?.basis).trim(),
        refs,
      };
    });
  if (!Array.isArray(doc.frameworks))
    problems.push(new PolicyError(file, '(document)', 'frameworks', 'must be a list of rules'));
  return {
    frameworkRules: read(doc.frameworks, 'frameworks', false).map(({ refs: _refs, ...rule }) => rule),
    requirementRules: read(doc.requirements, 'requirements', true),
  };
}
