import { PolicyError } from '../common/policy-error';
import type { FrameworkDef } from './policy-files';

/** What the rules can ask about an AI system. */
export interface ApplicabilityFacts {
  personalData: boolean;
  specialCategoryData: boolean;
  phi: boolean;
  childrensData: boolean;
  soc2InScope: boolean;
  significantDecisions: boolean;
  thirdParty: boolean;
  modelKind: string;
  lifecycleStage: string;
  autonomy: string;
  useCaseDomain: string;
  riskTier: string;
  jurisdictions: string[];
}

const BOOLEAN_FACTS = ['personalData', 'specialCategoryData', 'phi', 'childrensData', 'soc2InScope', 'significantDecisions', 'thirdParty'];
const TEXT_FACTS = ['modelKind', 'lifecycleStage', 'autonomy', 'useCaseDomain', 'riskTier'];
const LIST_FACTS = ['jurisdictions'];

export type Condition =
  | { kind: 'always' }
  | { kind: 'all' | 'any'; of: Condition[] }
  | { kind: 'not'; of: Condition }
  | { kind: 'fact'; fact: string; values: Array<string | boolean> };

export interface FrameworkRule {
  id: string;
  framework: string;
  when: Condition;
  reason: string;
}

export interface RequirementRule extends FrameworkRule {
  refs: string[];
}

export interface ApplicabilityPolicy {
  frameworkRules: FrameworkRule[];
  requirementRules: RequirementRule[];
}

function parseCondition(raw: unknown, fail: (problem: string) => void): Condition {
  if (raw === 'always') return { kind: 'always' };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    fail('must be "always" or a map such as {phi: true}, {all: [...]}, {any: [...]}, {not: {...}}');
    return { kind: 'always' };
  }
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length !== 1) {
    return { kind: 'all', of: entries.map(([key, value]) => parseCondition({ [key]: value }, fail)) };
  }
  const [key, value] = entries[0];
  if (key === 'all' || key === 'any') {
    if (!Array.isArray(value) || value.length === 0) fail(`"${key}" must be a non-empty list of conditions`);
    return { kind: key, of: (Array.isArray(value) ? value : []).map((c) => parseCondition(c, fail)) };
  }
  if (key === 'not') return { kind: 'not', of: parseCondition(value, fail) };
  const values = Array.isArray(value) ? value : [value];
  if (BOOLEAN_FACTS.includes(key)) {
    if (values.some((v) => typeof v !== 'boolean')) fail(`"${key}" takes true or false`);
  } else if (TEXT_FACTS.includes(key) || LIST_FACTS.includes(key)) {
    if (values.some((v) => typeof v !== 'string')) fail(`"${key}" takes text or a list of text`);
  } else {
    fail(`unknown fact "${key}"; known: ${[...BOOLEAN_FACTS, ...TEXT_FACTS, ...LIST_FACTS].join(', ')}`);
  }
  return { kind: 'fact', fact: key, values: values as Array<string | boolean> };
}

export function evaluate(condition: Condition, facts: ApplicabilityFacts): boolean {
  switch (condition.kind) {
    case 'always':
      return true;
    case 'all':
      return condition.of.every((c) => evaluate(c, facts));
    case 'any':
      return condition.of.some((c) => evaluate(c, facts));
    case 'not':
      return !evaluate(condition.of, facts);
    case 'fact': {
      const actual = (facts as unknown as Record<string, unknown>)[condition.fact];
      if (Array.isArray(actual)) return actual.some((a) => condition.values.includes(a));
      return condition.values.includes(actual as string | boolean);
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
    if (key !== 'frameworks' && key !== 'requirements') problems.push(new PolicyError(file, '(document)', key, 'unknown field; allowed: frameworks, requirements'));
  }
  const read = (list: unknown, section: string, withRefs: boolean) =>
    (Array.isArray(list) ? list : []).map((raw: Record<string, unknown>, index) => {
      const id = typeof raw?.id === 'string' ? raw.id : `${section}[${index}]`;
      const fail = (field: string) => (problem: string) => problems.push(new PolicyError(file, id, field, problem));
      const allowed = ['id', 'framework', 'when', 'reason', ...(withRefs ? ['refs'] : [])];
      for (const key of Object.keys(raw ?? {})) if (!allowed.includes(key)) fail(key)(`unknown field; allowed: ${allowed.join(', ')}`);
      if (typeof raw?.id !== 'string' || !/^[a-z0-9-]+$/.test(raw.id)) fail('id')('is required: lower-case letters, digits and dashes');
      if (ids.has(id)) fail('id')('duplicate rule id');
      ids.add(id);
      const framework = String(raw?.framework ?? '');
      if (!known.has(framework)) fail('framework')(`unknown framework "${framework}"`);
      if (typeof raw?.reason !== 'string' || raw.reason.trim() === '') fail('reason')('is required: say why the rule applies');
      const refs = withRefs ? (Array.isArray(raw?.refs) ? raw.refs.map(String) : []) : [];
      if (withRefs && refs.length === 0) fail('refs')('must be a non-empty list of requirement refs');
      for (const ref of refs) if (known.has(framework) && !known.get(framework)!.has(ref)) fail('refs')(`unknown requirement "${ref}" in ${framework}`);
      return { id, framework, when: parseCondition(raw?.when, fail('when')), reason: String(raw?.reason ?? '').trim(), refs };
    });
  if (!Array.isArray(doc.frameworks)) problems.push(new PolicyError(file, '(document)', 'frameworks', 'must be a list of rules'));
  return {
    frameworkRules: read(doc.frameworks, 'frameworks', false),
    requirementRules: read(doc.requirements, 'requirements', true) as RequirementRule[],
  };
}
