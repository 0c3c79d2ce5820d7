import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { PolicyError } from '../common/policy-error';
import { OBLIGATIONS_FILE, ObligationsPolicy, parseObligations } from './ai-act-obligations';
import { ApplicabilityPolicy, parseApplicability } from './applicability-rules';
import { parseThreats, ThreatPolicy, THREATS_FILE } from './threat-rules';
import {
  DEFAULT_SUFFICIENCY_THRESHOLD,
  impossibleEquivalences,
  leavesWithoutSufficientPath,
  SUFFICIENT_RELATIONSHIPS,
} from './library-coverage';
import { textOf } from '../common/text';
import {
  ControlDef,
  CoveragePolicyDef,
  ExclusionDef,
  FrameworkDef,
  RELATIONSHIPS,
  REQUIREMENT_KINDS,
} from './catalog-defs';

export const FRAMEWORK_KEYS = [
  'nist-ai-rmf-1.0',
  'gdpr',
  'hipaa-security',
  'soc2-tsc-2017',
  'eu-ai-act',
  'iso-iec-42001',
  'nist-ai-600-1',
  'mitre-atlas',
  'owasp-llm-top10-2025',
] as const;
/** Catalogs whose text is copyright (AICPA, ISO): ids and our own short titles only, so a description is refused. */
const IDS_AND_TITLES_ONLY: readonly string[] = ['soc2-tsc-2017', 'iso-iec-42001'];
export const REVIEW_FREQUENCIES = ['monthly', 'quarterly', 'semiannual', 'annual'] as const;
export const OWNER_ROLES = ['governance_specialist', 'engineer', 'admin'] as const;
export const CONTROL_DOMAINS = [
  'governance',
  'data',
  'model-development',
  'evaluation',
  'security',
  'privacy',
  'operations',
  'third-parties',
  // Duties the EU AI Act adds for providers and deployers (classification, conformity, registration, Art. 50, GPAI).
  'ai-act',
] as const;
const LEVELS = [
  'function',
  'category',
  'subcategory',
  'chapter',
  'section',
  'article',
  // GDPR below article level: a numbered paragraph, and a lettered point of a paragraph (Art. 5(1)(a)).
  'paragraph',
  'point',
  'standard',
  'implementation_spec',
  'spec_element',
  'criteria_group',
  'criterion',
  // EU AI Act below the point (Art. 5(1)(c)(i)), the profiling rule of Art. 6(3), and Annex III's areas and points.
  'subparagraph',
  'subpoint',
  'annex',
  'annex_area',
  'annex_point',
  // ISO/IEC 42001 Annex A.
  'control_objective',
  'sub_objective',
  'control',
  // NIST AI 600-1: the suggested actions under the AI RMF subcategories.
  'suggested_action',
  // MITRE ATLAS (tactics and techniques are kind: threat) and the OWASP LLM Top 10.
  'tactic',
  'technique',
  'sub-technique',
  'mitigation',
  'risk',
] as const;

export interface PolicySet {
  frameworks: FrameworkDef[];
  controls: ControlDef[];
  exclusions: ExclusionDef[];
  coverage: CoveragePolicyDef;
  applicability: ApplicabilityPolicy;
  /** Which ATLAS techniques and OWASP LLM risks are relevant to a system (policies/threats.yaml). */
  threats: ThreatPolicy;
  /** AI Act obligations by role x risk tier x GPAI (policies/ai-act-obligations.yaml). */
  obligations: ObligationsPolicy;
  /** Hash over every file, so start-up can tell in one comparison whether anything changed. */
  contentHash: string;
}

/** All problems found in the policy files, each naming file, entry and field. */
export class PolicyValidationError extends Error {
  constructor(readonly problems: PolicyError[]) {
    super(`${problems.length} problem(s) in policies/:\n` + problems.map((p) => `  - ${p.message}`).join('\n'));
  }
}

type Obj = Record<string, unknown>;

/** Field-by-field reader that records problems instead of throwing, so one run reports them all. */
class EntryReader {
  constructor(
    private readonly file: string,
    private readonly entry: string,
    private readonly value: Obj,
    private readonly problems: PolicyError[],
  ) {}

  private fail(field: string, problem: string): void {
    this.problems.push(new PolicyError(this.file, this.entry, field, problem));
  }

  allowOnly(fields: string[]): void {
    for (const key of Object.keys(this.value)) {
      if (!fields.includes(key)) this.fail(key, `unknown field; allowed fields are ${fields.join(', ')}`);
    }
  }

  text(field: string, options: { optional?: boolean; max?: number; pattern?: RegExp } = {}): string {
    const raw = this.value[field];
    if (raw === undefined || raw === null || raw === '') {
      if (!options.optional) this.fail(field, 'is required');
      return '';
    }
    if (typeof raw !== 'string' && typeof raw !== 'number') {
      this.fail(field, 'must be text');
      return '';
    }
    const text = String(raw).trim();
    if (options.max && text.length > options.max) this.fail(field, `is longer than ${options.max} characters`);
    if (options.pattern && !options.pattern.test(text)) this.fail(field, `"${text}" does not match ${options.pattern}`);
    return text;
  }

  oneOf<T extends string>(field: string, allowed: readonly T[]): T {
    const text = this.text(field);
    if (text && !allowed.includes(text as T)) this.fail(field, `"${text}" is not one of ${allowed.join(', ')}`);
    return text as T;
  }

  integer(field: string, min: number, max: number): number {
    const raw = this.value[field];
    if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < min || raw > max) {
      this.fail(field, `must be a whole number from ${min} to ${max}`);
      return min;
    }
    return raw;
  }

  list(field: string): unknown[] {
    const raw = this.value[field];
    if (!Array.isArray(raw)) {
      this.fail(field, 'must be a list');
      return [];
    }
    return raw;
  }

  stringMap(field: string): Record<string, string> {
    const raw = this.value[field];
    if (raw === undefined || raw === null) return {};
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      this.fail(field, 'must be a map of text values');
      return {};
    }
    const result: Record<string, string> = {};
    for (const [key, value] of Object.entries(raw as Obj)) {
      if (typeof value !== 'string') this.fail(`${field}.${key}`, 'must be text');
      else result[key] = value;
    }
    return result;
  }
}

function readYaml(file: string, root: string, problems: PolicyError[]): { doc: Obj | null; text: string } {
  const name = path.relative(root, file) || file;
  const text = fs.readFileSync(file, 'utf8');
  try {
    const doc: unknown = parse(text, { uniqueKeys: true });
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
      problems.push(new PolicyError(name, '(document)', '(root)', 'must be a YAML map'));
      return { doc: null, text };
    }
    return { doc: doc as Obj, text };
  } catch (error) {
    problems.push(new PolicyError(name, '(document)', 'yaml', (error as Error).message.split('\n')[0]));
    return { doc: null, text };
  }
}

function yamlFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort()
    .map((f) => path.join(dir, f));
}

function parseFramework(
  file: string,
  root: string,
  problems: PolicyError[],
  hash: ReturnType<typeof createHash>,
): FrameworkDef | null {
  const name = path.relative(root, file);
  const { doc, text } = readYaml(file, root, problems);
  hash.update(name).update(text);
  if (!doc) return null;
  const head = new EntryReader(name, '(header)', doc, problems);
  head.allowOnly(['key', 'name', 'version', 'publisher', 'source', 'licence', 'requirements']);
  const key = head.oneOf('key', FRAMEWORK_KEYS);
  const framework: FrameworkDef = {
    key,
    name: head.text('name', { max: 200 }),
    version: head.text('version', { max: 120 }),
    publisher: head.text('publisher', { max: 200 }),
    source: head.text('source', { max: 300 }),
    licence: head.text('licence'),
    contentHash: createHash('sha256').update(text).digest('hex'),
    file: name,
    requirements: [],
  };
  const seen = new Set<string>();
  head.list('requirements').forEach((raw, index) => {
    const entryName = typeof (raw as Obj)?.ref === 'string' ? String((raw as Obj).ref) : `requirements[${index}]`;
    if (typeof raw !== 'object' || raw === null) {
      problems.push(new PolicyError(name, entryName, '(entry)', 'must be a map'));
      return;
    }
    const entry = new EntryReader(name, entryName, raw as Obj, problems);
    entry.allowOnly(['ref', 'parent', 'level', 'kind', 'title', 'description', 'attributes']);
    const ref = entry.text('ref', { max: 64 });
    const parent =
      (raw as Obj).parent === null || (raw as Obj).parent === undefined ? null : entry.text('parent', { max: 64 });
    if (seen.has(ref)) problems.push(new PolicyError(name, ref, 'ref', 'duplicate ref in this framework'));
    if (parent !== null && !seen.has(parent)) {
      problems.push(new PolicyError(name, ref, 'parent', `"${parent}" is not an earlier entry of this framework`));
    }
    seen.add(ref);
    const idsOnly = IDS_AND_TITLES_ONLY.includes(key);
    const description = entry.text('description', { optional: idsOnly });
    if (idsOnly && description) {
      const what =
        key === 'soc2-tsc-2017'
          ? 'SOC 2 criteria carry ids and our own short titles only (AICPA copyright)'
          : 'ISO/IEC 42001 controls carry ids and our own short titles only (ISO copyright)';
      problems.push(new PolicyError(name, ref, 'description', what));
    }
    const kind = (raw as Obj).kind === undefined ? 'requirement' : entry.oneOf('kind', REQUIREMENT_KINDS);
    framework.requirements.push({
      ref,
      parent,
      level: entry.oneOf('level', LEVELS),
      title: entry.text('title', { max: 200 }),
      description,
      attributes: entry.stringMap('attributes'),
      kind,
      isLeaf: true,
      position: index,
    });
  });
  const byRef = new Map(framework.requirements.map((r) => [r.ref, r]));
  const parents = new Set(framework.requirements.map((r) => r.parent).filter((p): p is string => p !== null));
  for (const requirement of framework.requirements) {
    // A threat is never a coverage leaf, whatever sits below it.
    requirement.isLeaf = requirement.kind !== 'threat' && !parents.has(requirement.ref);
    const parent = requirement.parent === null ? undefined : byRef.get(requirement.parent);
    if (parent?.kind === 'threat' && requirement.kind !== 'threat') {
      problems.push(
        new PolicyError(
          name,
          requirement.ref,
          'kind',
          `sits below the threat ${parent.ref}; only threats (sub-techniques) may`,
        ),
      );
    }
    if (requirement.attributes.kind !== undefined) {
      problems.push(
        new PolicyError(
          name,
          requirement.ref,
          'attributes.kind',
          "is set from the entry's kind field; write kind: threat instead",
        ),
      );
    }
    // attributes.mitigates names what a mitigation counters: threats of this catalog.
    for (const target of (requirement.attributes.mitigates ?? '').split(';').filter(Boolean)) {
      if (byRef.get(target)?.kind !== 'threat') {
        problems.push(
          new PolicyError(
            name,
            requirement.ref,
            'attributes.mitigates',
            `"${target}" is not a threat (kind: threat) of this framework`,
          ),
        );
      }
    }
  }
  return framework;
}

function parseControls(
  file: string,
  root: string,
  problems: PolicyError[],
  hash: ReturnType<typeof createHash>,
  offset: number,
): ControlDef[] {
  const name = path.relative(root, file);
  const { doc, text } = readYaml(file, root, problems);
  hash.update(name).update(text);
  if (!doc) return [];
  const head = new EntryReader(name, '(header)', doc, problems);
  head.allowOnly(['domain', 'controls']);
  const domain = head.oneOf('domain', CONTROL_DOMAINS);
  return head.list('controls').map((raw, index) => {
    const entryName = typeof (raw as Obj)?.code === 'string' ? String((raw as Obj).code) : `controls[${index}]`;
    const entry = new EntryReader(name, entryName, (raw ?? {}) as Obj, problems);
    entry.allowOnly([
      'code',
      'title',
      'objective',
      'ownerRole',
      'typicalEvidence',
      'testProcedure',
      'reviewFrequency',
      'mappings',
    ]);
    const evidence = entry.list('typicalEvidence');
    if (evidence.some((e) => typeof e !== 'string'))
      problems.push(new PolicyError(name, entryName, 'typicalEvidence', 'must be a list of text'));
    const mappings = entry.list('mappings').map((m, mi) => {
      const mapping = new EntryReader(name, `${entryName} mappings[${mi}]`, (m ?? {}) as Obj, problems);
      mapping.allowOnly(['framework', 'ref', 'relationship', 'strength', 'rationale']);
      // An issue or a hand-written file may say "equal"; the OSCAL vocabulary term is "equal-to".
      if ((m as Obj)?.relationship === 'equal') (m as Obj).relationship = 'equal-to';
      return {
        framework: mapping.oneOf('framework', FRAMEWORK_KEYS),
        ref: mapping.text('ref', { max: 64 }),
        relationship: mapping.oneOf('relationship', RELATIONSHIPS),
        strength: mapping.integer('strength', 1, 10),
        rationale: mapping.text('rationale', { max: 500 }),
      };
    });
    return {
      code: entry.text('code', { pattern: /^AIG-[A-Z]{3}-\d{2}$/ }),
      title: entry.text('title', { max: 200 }),
      objective: entry.text('objective'),
      domain,
      ownerRole: entry.oneOf('ownerRole', OWNER_ROLES),
      typicalEvidence: evidence.map(String),
      testProcedure: entry.text('testProcedure'),
      reviewFrequency: entry.oneOf('reviewFrequency', REVIEW_FREQUENCIES),
      mappings,
      position: offset + index,
      file: name,
    };
  });
}

function parseExclusions(
  file: string,
  root: string,
  problems: PolicyError[],
  hash: ReturnType<typeof createHash>,
): ExclusionDef[] {
  if (!fs.existsSync(file)) return [];
  const name = path.relative(root, file);
  const { doc, text } = readYaml(file, root, problems);
  hash.update(name).update(text);
  if (!doc) return [];
  const head = new EntryReader(name, '(header)', doc, problems);
  head.allowOnly(['entries']);
  return head.list('entries').map((raw, index) => {
    const label = `${textOf((raw as Obj)?.framework ?? '?')} ${textOf((raw as Obj)?.ref ?? `entries[${index}]`)}`;
    const entry = new EntryReader(name, label, (raw ?? {}) as Obj, problems);
    entry.allowOnly(['framework', 'ref', 'reason']);
    return {
      framework: entry.oneOf('framework', FRAMEWORK_KEYS),
      ref: entry.text('ref'),
      reason: entry.text('reason'),
    };
  });
}

const COVERAGE_FILE = 'coverage.yaml';

function parseCoverage(
  file: string,
  root: string,
  problems: PolicyError[],
  hash: ReturnType<typeof createHash>,
): CoveragePolicyDef {
  const policy: CoveragePolicyDef = { threshold: DEFAULT_SUFFICIENCY_THRESHOLD, jointlySufficient: [] };
  if (!fs.existsSync(file)) return policy;
  const name = path.relative(root, file);
  const { doc, text } = readYaml(file, root, problems);
  hash.update(name).update(text);
  if (!doc) return policy;
  const head = new EntryReader(name, '(document)', doc, problems);
  head.allowOnly(['threshold', 'jointlySufficient']);
  if (doc.threshold !== undefined) policy.threshold = head.integer('threshold', 1, 10);
  if (doc.jointlySufficient !== undefined) {
    policy.jointlySufficient = head.list('jointlySufficient').map((raw, index) => {
      const label = `${textOf((raw as Obj)?.framework ?? '?')} ${textOf((raw as Obj)?.ref ?? `jointlySufficient[${index}]`)}`;
      const entry = new EntryReader(name, label, (raw ?? {}) as Obj, problems);
      entry.allowOnly(['framework', 'ref', 'controls', 'reason']);
      const controls = entry.list('controls');
      if (controls.some((c) => typeof c !== 'string'))
        problems.push(new PolicyError(name, label, 'controls', 'must be a list of control codes'));
      return {
        framework: entry.oneOf('framework', FRAMEWORK_KEYS),
        ref: entry.text('ref'),
        controls: controls.map(String),
        reason: entry.text('reason', { max: 500 }),
      };
    });
  }
  return policy;
}

/** Cross-file rules: unique codes, mappings and exclusions point at real leaf requirements, no leaf both. */
function crossCheck(
  set: Omit<PolicySet, 'contentHash' | 'applicability' | 'obligations' | 'threats'>,
  problems: PolicyError[],
): void {
  const byFramework = new Map(set.frameworks.map((f) => [f.key, new Map(f.requirements.map((r) => [r.ref, r]))]));
  const frameworkKeys = new Set<string>();
  for (const framework of set.frameworks) {
    if (frameworkKeys.has(framework.key))
      problems.push(new PolicyError(framework.file, '(header)', 'key', `framework ${framework.key} is defined twice`));
    frameworkKeys.add(framework.key);
  }
  const codes = new Map<string, string>();
  const mapped = new Set<string>();
  for (const control of set.controls) {
    if (codes.has(control.code)) {
      problems.push(
        new PolicyError(
          control.file,
          control.code,
          'code',
          `duplicate control code (also in ${codes.get(control.code)})`,
        ),
      );
    }
    codes.set(control.code, control.file);
    const pairs = new Set<string>();
    control.mappings.forEach((mapping, index) => {
      const field = `mappings[${index}].ref`;
      const requirement = byFramework.get(mapping.framework)?.get(mapping.ref);
      if (!requirement) {
        problems.push(
          new PolicyError(
            control.file,
            control.code,
            field,
            `unknown requirement "${mapping.ref}" in framework ${mapping.framework}`,
          ),
        );
        return;
      }
      if (requirement.kind === 'threat') {
        problems.push(
          new PolicyError(
            control.file,
            control.code,
            field,
            `"${mapping.ref}" is a threat, not a requirement; map the mitigations that counter it`,
          ),
        );
      } else if (!requirement.isLeaf) {
        problems.push(
          new PolicyError(
            control.file,
            control.code,
            field,
            `"${mapping.ref}" is not a leaf requirement; map its children`,
          ),
        );
      }
      const pair = `${mapping.framework}|${mapping.ref}`;
      if (pairs.has(pair))
        problems.push(
          new PolicyError(control.file, control.code, field, `maps ${mapping.framework} ${mapping.ref} twice`),
        );
      pairs.add(pair);
      mapped.add(pair);
    });
  }
  for (const exclusion of set.exclusions) {
    const requirement = byFramework.get(exclusion.framework)?.get(exclusion.ref);
    const label = `${exclusion.framework} ${exclusion.ref}`;
    if (!requirement)
      problems.push(new PolicyError('policies/controls/not-per-system.yaml', label, 'ref', 'unknown requirement'));
    else if (requirement.kind === 'threat')
      problems.push(
        new PolicyError(
          'policies/controls/not-per-system.yaml',
          label,
          'ref',
          'is a threat, not a requirement; threats are never coverage leaves',
        ),
      );
    else if (mapped.has(`${exclusion.framework}|${exclusion.ref}`)) {
      problems.push(
        new PolicyError(
          'policies/controls/not-per-system.yaml',
          label,
          'ref',
          'is mapped by a control and cannot also be excluded',
        ),
      );
    }
  }
  const mappedBy = new Map<string, Set<string>>();
  for (const control of set.controls) {
    for (const m of control.mappings) {
      const key = `${m.framework}|${m.ref}`;
      if (!mappedBy.has(key)) mappedBy.set(key, new Set());
      mappedBy.get(key)!.add(control.code);
    }
  }
  const setFile = `policies/${COVERAGE_FILE}`;
  const declared = new Set<string>();
  for (const joint of set.coverage.jointlySufficient) {
    const label = `${joint.framework} ${joint.ref}`;
    const requirement = byFramework.get(joint.framework)?.get(joint.ref);
    if (!requirement) {
      problems.push(new PolicyError(setFile, label, 'ref', `unknown requirement in framework ${joint.framework}`));
      continue;
    }
    if (!requirement.isLeaf) problems.push(new PolicyError(setFile, label, 'ref', 'is not a leaf requirement'));
    if (new Set(joint.controls).size < 2)
      problems.push(new PolicyError(setFile, label, 'controls', 'a set needs at least two different controls'));
    for (const code of joint.controls) {
      if (!codes.has(code)) problems.push(new PolicyError(setFile, label, 'controls', `unknown control ${code}`));
      else if (!mappedBy.get(`${joint.framework}|${joint.ref}`)?.has(code)) {
        problems.push(
          new PolicyError(
            setFile,
            label,
            'controls',
            `${code} does not map ${label}; map it there first (its relationship and strength say what it contributes)`,
          ),
        );
      }
    }
    const setKey = `${label}|${[...joint.controls].sort().join(',')}`;
    if (declared.has(setKey))
      problems.push(new PolicyError(setFile, label, 'controls', 'the same set is declared twice'));
    declared.add(setKey);
  }
  for (const claim of impossibleEquivalences(set.controls)) {
    problems.push(
      new PolicyError(
        claim.control.file,
        claim.control.code,
        `mappings[${claim.index}].relationship`,
        `${claim.mapping.relationship} ${claim.mapping.framework} ${claim.mapping.ref}, but also ${claim.first.relationship} ${claim.first.ref} (mappings[${claim.firstIndex}]): ` +
          'a control has the same scope as at most one requirement of a framework; use superset-of for each requirement it fully covers',
      ),
    );
  }
  for (const leaf of leavesWithoutSufficientPath(set)) {
    const framework = set.frameworks.find((f) => f.key === leaf.framework)!;
    const best = leaf.mappings.map((m) => `${m.controlCode} ${m.relationship} ${m.strength}`).join(', ');
    problems.push(
      new PolicyError(
        framework.file,
        leaf.ref,
        '(coverage)',
        `no sufficient path: no control is ${SUFFICIENT_RELATIONSHIPS.join('/')} it with strength >= ${set.coverage.threshold}, ` +
          `no jointly-sufficient set in policies/${COVERAGE_FILE}, and controls/not-per-system.yaml does not list it as organisational` +
          (best ? `; mapped: ${best}` : '; no control maps it'),
      ),
    );
  }
}

/** Reads and validates everything under policies/; throws PolicyValidationError listing every problem. */
export function loadPolicySet(root = path.join(process.cwd(), 'policies')): PolicySet {
  const problems: PolicyError[] = [];
  const base = path.dirname(root);
  const hash = createHash('sha256');
  const frameworks = yamlFiles(path.join(root, 'frameworks'))
    .map((file) => parseFramework(file, base, problems, hash))
    .filter((f): f is FrameworkDef => f !== null);
  const controls: ControlDef[] = [];
  for (const file of yamlFiles(path.join(root, 'controls')).filter((f) => path.basename(f) !== 'not-per-system.yaml')) {
    controls.push(...parseControls(file, base, problems, hash, controls.length));
  }
  const exclusions = parseExclusions(path.join(root, 'controls', 'not-per-system.yaml'), base, problems, hash);
  const coverage = parseCoverage(path.join(root, COVERAGE_FILE), base, problems, hash);
  crossCheck({ frameworks, controls, exclusions, coverage }, problems);
  const applicabilityFile = path.join(root, 'applicability.yaml');
  const { doc, text } = readYaml(applicabilityFile, base, problems);
  hash.update(text);
  const applicability = parseApplicability(doc ?? {}, path.relative(base, applicabilityFile), frameworks, problems);
  // Optional, like coverage.yaml: a policy set without threat-model rules gives every system an empty threat model.
  const threatsFile = path.join(root, THREATS_FILE);
  const threatsYaml = fs.existsSync(threatsFile) ? readYaml(threatsFile, base, problems) : { doc: null, text: '' };
  hash.update(threatsYaml.text);
  const threats = parseThreats(threatsYaml.doc, path.relative(base, threatsFile), frameworks, problems);
  // Optional: a library without the AI Act has no obligations to evaluate.
  const obligationsFile = path.join(root, OBLIGATIONS_FILE);
  let obligations: ObligationsPolicy = { framework: '', rules: [] };
  if (fs.existsSync(obligationsFile)) {
    const obligationsYaml = readYaml(obligationsFile, base, problems);
    hash.update(obligationsYaml.text);
    obligations = parseObligations(obligationsYaml.doc, path.relative(base, obligationsFile), frameworks, problems);
  }
  if (problems.length > 0) throw new PolicyValidationError(problems);
  return {
    frameworks,
    controls,
    exclusions,
    coverage,
    applicability,
    threats,
    obligations,
    contentHash: hash.digest('hex'),
  };
}
