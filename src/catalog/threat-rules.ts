import { PolicyError } from '../common/policy-error';
import { Condition, parseCondition } from './applicability-rules';
import type { FrameworkDef } from './catalog-defs';
import { textOf } from '../common/text';

export const THREATS_FILE = 'threats.yaml';
/** The frameworks a threat-model rule may name: ATLAS techniques (kind: threat) and OWASP LLM risks. */
export const THREAT_FRAMEWORKS = ['mitre-atlas', 'owasp-llm-top10-2025'] as const;

export interface ThreatRef {
  framework: (typeof THREAT_FRAMEWORKS)[number];
  ref: string;
}

export interface ThreatRule {
  id: string;
  when: Condition;
  threats: ThreatRef[];
  reason: string;
}

export interface ThreatPolicy {
  rules: ThreatRule[];
}

/** Reads policies/threats.yaml; every problem names the file, the rule and the field. */
export function parseThreats(
  doc: Record<string, unknown> | null,
  file: string,
  frameworks: FrameworkDef[],
  problems: PolicyError[],
): ThreatPolicy {
  if (!doc) return { rules: [] };
  for (const key of Object.keys(doc))
    if (key !== 'rules') problems.push(new PolicyError(file, '(document)', key, 'unknown field; allowed: rules'));
  if (!Array.isArray(doc.rules)) {
    problems.push(new PolicyError(file, '(document)', 'rules', 'must be a list of rules'));
    return { rules: [] };
  }
  const catalogs = new Map(frameworks.map((f) => [f.key, new Map(f.requirements.map((r) => [r.ref, r]))]));
  const ids = new Set<string>();
  const rules = (doc.rules as unknown[]).map((entry, index): ThreatRule => {
    const raw = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const id = typeof raw.id === 'string' ? raw.id : `rules[${index}]`;
    const fail = (field: string) => (problem: string) => problems.push(new PolicyError(file, id, field, problem));
    for (const key of Object.keys(raw))
      if (!['id', 'when', 'threats', 'reason'].includes(key))
        fail(key)('unknown field; allowed: id, when, threats, reason');
    if (typeof raw.id !== 'string' || !/^[a-z0-9-]+$/.test(raw.id))
      fail('id')('is required: lower-case letters, digits and dashes');
    if (ids.has(id)) fail('id')('duplicate rule id');
    ids.add(id);
    if (typeof raw.reason !== 'string' || raw.reason.trim() === '')
      fail('reason')('is required: say why these threats are relevant');
    const list = Array.isArray(raw.threats) ? raw.threats : [];
    if (list.length === 0) fail('threats')('must be a non-empty list such as "mitre-atlas AML.T0051"');
    const threats: ThreatRef[] = [];
    for (const item of list) {
      const text = String(item);
      const at = text.indexOf(' ');
      const framework = text.slice(0, at) as ThreatRef['framework'];
      const ref = text.slice(at + 1);
      if (at < 0 || !(THREAT_FRAMEWORKS as readonly string[]).includes(framework)) {
        fail('threats')(`"${text}" must be "<framework> <id>" with framework one of ${THREAT_FRAMEWORKS.join(', ')}`);
        continue;
      }
      const requirement = catalogs.get(framework)?.get(ref);
      if (!requirement) fail('threats')(`unknown ${framework} id "${ref}"`);
      else if (
        framework === 'mitre-atlas' &&
        !(requirement.kind === 'threat' && ['technique', 'sub-technique'].includes(requirement.level))
      ) {
        fail('threats')(`"${ref}" is an ATLAS ${requirement.level}, not a technique or sub-technique`);
      } else threats.push({ framework, ref });
    }
    return { id, when: parseCondition(raw.when, fail('when')), threats, reason: textOf(raw.reason).trim() };
  });
  return { rules };
}
