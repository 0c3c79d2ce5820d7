import { PolicyError } from '../common/policy-error';
import { Condition, parseCondition } from './applicability-rules';
import type { FrameworkDef } from './catalog-defs';
import { textOf } from '../common/text';

export const OBLIGATION_KINDS = ['duty', 'prohibition'] as const;

/**
 * One rule of policies/ai-act-obligations.yaml: when its condition holds for a system, the provisions it names bind
 * that system. A rule names catalog refs (a parent reaches every leaf below it), or, for duties the catalog does not
 * hold paragraph by paragraph, an article with its title.
 */
export interface ObligationRule {
  id: string;
  kind: (typeof OBLIGATION_KINDS)[number];
  when: Condition;
  refs: string[];
  /** Outside the catalog: the article and title shown, with no leaves to cover. */
  article: string | null;
  title: string | null;
  /** Overrides the catalog's applies_from of every ref (e.g. Art. 113(c) for the Annex I route); required outside the catalog. */
  appliesFrom: string | null;
  /** The provision that sets appliesFrom. */
  dateBasis: string | null;
  basis: string;
  reason: string;
}

export interface ObligationsPolicy {
  /** The catalog whose leaves the rules bring in; its per-system leaf applicability follows from them. */
  framework: string;
  rules: ObligationRule[];
}

export const OBLIGATIONS_FILE = 'ai-act-obligations.yaml';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const validDate = (text: string) =>
  DATE.test(text) &&
  !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) &&
  new Date(`${text}T00:00:00Z`).toISOString().startsWith(text);

/** Reads and validates the obligations policy; every problem names the file, the rule and the field. */
export function parseObligations(
  doc: Record<string, unknown> | null,
  file: string,
  frameworks: FrameworkDef[],
  problems: PolicyError[],
): ObligationsPolicy {
  const policy: ObligationsPolicy = { framework: '', rules: [] };
  if (!doc) return policy;
  for (const key of Object.keys(doc)) {
    // groups only holds the YAML anchors that rules refer to.
    if (!['framework', 'groups', 'obligations'].includes(key))
      problems.push(new PolicyError(file, '(document)', key, 'unknown field; allowed: framework, groups, obligations'));
  }
  const framework = frameworks.find((f) => f.key === doc.framework);
  if (!framework)
    problems.push(new PolicyError(file, '(document)', 'framework', `unknown framework "${textOf(doc.framework)}"`));
  policy.framework = textOf(doc.framework);
  const refs = new Set(framework?.requirements.map((r) => r.ref) ?? []);
  if (!Array.isArray(doc.obligations)) {
    problems.push(new PolicyError(file, '(document)', 'obligations', 'must be a list of rules'));
    return policy;
  }
  const ids = new Set<string>();
  const allowed = ['id', 'kind', 'when', 'refs', 'article', 'title', 'appliesFrom', 'dateBasis', 'basis', 'reason'];
  doc.obligations.forEach((raw: Record<string, unknown>, index) => {
    const id = typeof raw?.id === 'string' ? raw.id : `obligations[${index}]`;
    const fail = (field: string) => (problem: string) => problems.push(new PolicyError(file, id, field, problem));
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      fail('(entry)')('must be a map');
      return;
    }
    for (const key of Object.keys(raw))
      if (!allowed.includes(key)) fail(key)(`unknown field; allowed: ${allowed.join(', ')}`);
    if (typeof raw.id !== 'string' || !/^[a-z0-9-]+$/.test(raw.id))
      fail('id')('is required: lower-case letters, digits and dashes');
    if (ids.has(id)) fail('id')('duplicate rule id');
    ids.add(id);
    const text = (field: string, required: boolean) => {
      const value = raw[field];
      if (value === undefined || value === null || value === '') {
        if (required) fail(field)('is required');
        return null;
      }
      if (typeof value !== 'string') {
        fail(field)('must be text');
        return null;
      }
      return value.trim();
    };
    const kind = (text('kind', false) ?? 'duty') as ObligationRule['kind'];
    if (!OBLIGATION_KINDS.includes(kind)) fail('kind')(`"${kind}" is not one of ${OBLIGATION_KINDS.join(', ')}`);
    // A list of refs may hold lists (YAML aliases of shared groups); they are flattened once.
    const listed = raw.refs === undefined ? [] : Array.isArray(raw.refs) ? (raw.refs as unknown[]).flat() : null;
    if (listed === null || listed.some((r) => typeof r !== 'string'))
      fail('refs')('must be a list of requirement refs');
    const ruleRefs = (listed ?? []).map(String);
    for (const ref of ruleRefs)
      if (framework && !refs.has(ref)) fail('refs')(`unknown requirement "${ref}" in ${framework.key}`);
    if (new Set(ruleRefs).size !== ruleRefs.length) fail('refs')('names a requirement twice');
    const article = text('article', false);
    const title = text('title', false);
    const appliesFrom = text('appliesFrom', false);
    const dateBasis = text('dateBasis', false);
    if (ruleRefs.length === 0 && !article)
      fail('refs')(
        'name the requirements that bind the system, or an article (with title and appliesFrom) the catalog does not hold',
      );
    if (ruleRefs.length > 0 && (article || title))
      fail('article')('a rule names catalog refs or an article outside the catalog, not both');
    if (article && !title) fail('title')('is required with article');
    if (article && !appliesFrom) fail('appliesFrom')('is required with article: the catalog holds no date for it');
    if (appliesFrom !== null && !validDate(appliesFrom))
      fail('appliesFrom')(`"${appliesFrom}" is not a date (YYYY-MM-DD)`);
    if (appliesFrom !== null && !dateBasis)
      fail('dateBasis')('is required with appliesFrom: name the provision that sets the date');
    policy.rules.push({
      id,
      kind,
      when: parseCondition(raw.when, fail('when')),
      refs: ruleRefs,
      article,
      title,
      appliesFrom,
      dateBasis,
      basis: text('basis', true) ?? '',
      reason: text('reason', true) ?? '',
    });
  });
  return policy;
}
