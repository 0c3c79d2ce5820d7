import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { PolicyError } from '../../common/policy-error';
import { errorMessage, errorPath } from '../../common/json-schema-errors';
import { EVIDENCE_KINDS, EvidenceKind } from '../entities/evidence.entity';

/** A JSON document checked against a schema: null when it holds, else the first problem with its JSON path. */
export type JsonCheck = (data: unknown, text: string) => Promise<{ path: string; message: string } | null>;

export interface EvidenceKindRule {
  kind: EvidenceKind;
  /** true: the file must be JSON; false: only a JSON file is held to the schema (a PDF stays a document). */
  jsonOnly: boolean;
  schemaFile: string | null;
  validityDays: number | null;
  basis: string;
  /** (ai_bom) the CycloneDX schema of its spec version, then the kind's own schema. */
  checks: JsonCheck[];
}

export interface EvidenceKindPolicy {
  /** The sweep asks for fresh evidence this many days before the current one expires. */
  expiryNoticeDays: number;
  kinds: ReadonlyMap<EvidenceKind, EvidenceKindRule>;
}

export const EVIDENCE_KIND_POLICY = Symbol('EVIDENCE_KIND_POLICY');

/** Every problem in policies/evidence-kinds/, each naming file, entry and field. */
export class EvidenceKindPolicyError extends Error {
  constructor(readonly problems: PolicyError[]) {
    super(
      `${problems.length} problem(s) in the evidence kinds policy:\n` +
        problems.map((p) => `  - ${p.message}`).join('\n'),
    );
  }
}

const CYCLONEDX_VERSIONS: Record<string, Spec.Version> = { '1.6': Spec.Version.v1dot6 };

export function defaultEvidenceKindsDir(): string {
  return path.join(process.cwd(), 'policies', 'evidence-kinds');
}

/**
 * Reads policies/evidence-kinds/kinds.yaml and compiles every schema it names (the CycloneDX one too, which takes
 * about half a second), once at start: an upload only runs compiled validators.
 */
export async function loadEvidenceKindPolicy(dir = defaultEvidenceKindsDir()): Promise<EvidenceKindPolicy> {
  const file = path.join(dir, 'kinds.yaml');
  const display = path.relative(process.cwd(), file) || file;
  const problems: PolicyError[] = [];
  const problem = (entry: string, field: string, message: string) =>
    problems.push(new PolicyError(display, entry, field, message));
  let raw: Record<string, unknown>;
  try {
    raw = (parse(fs.readFileSync(file, 'utf8')) ?? {}) as Record<string, unknown>;
  } catch (error) {
    throw new EvidenceKindPolicyError([
      new PolicyError(
        display,
        '(file)',
        '(file)',
        `cannot be read or parsed: ${(error as Error).message.split('\n')[0]}`,
      ),
    ]);
  }
  const notice = raw.expiryNoticeDays;
  if (!Number.isInteger(notice) || (notice as number) < 1 || (notice as number) > 90)
    problem('(top)', 'expiryNoticeDays', 'must be a whole number of days from 1 to 90');
  const ajv = new Ajv({ strict: true, allErrors: false });
  addFormats(ajv);
  const kinds = new Map<EvidenceKind, EvidenceKindRule>();
  const entries = raw.kinds && typeof raw.kinds === 'object' ? Object.entries(raw.kinds) : [];
  if (entries.length === 0) problem('(top)', 'kinds', 'must map evidence kinds to their rules');
  for (const [kind, value] of entries) {
    const entry = (value ?? {}) as Record<string, unknown>;
    if (!(EVIDENCE_KINDS as readonly string[]).includes(kind)) {
      problem(kind, '(key)', `is not an evidence kind (one of ${EVIDENCE_KINDS.join(', ')})`);
      continue;
    }
    const known = new Set(['schema', 'jsonOnly', 'cyclonedx', 'validityDays', 'basis']);
    for (const key of Object.keys(entry)) if (!known.has(key)) problem(kind, key, 'is not a known field');
    const days = entry.validityDays;
    if (days !== undefined && (!Number.isInteger(days) || (days as number) < 1 || (days as number) > 3660))
      problem(kind, 'validityDays', 'must be a whole number of days from 1 to 3660');
    if (typeof entry.basis !== 'string' || entry.basis.trim().length < 10)
      problem(kind, 'basis', 'must say why (the provision or framework item it rests on)');
    if (entry.jsonOnly !== undefined && typeof entry.jsonOnly !== 'boolean')
      problem(kind, 'jsonOnly', 'must be true or false');
    const checks: JsonCheck[] = [];
    const schemaFile = typeof entry.schema === 'string' ? entry.schema : null;
    if (entry.schema !== undefined && !schemaFile) problem(kind, 'schema', 'must name a file of this folder');
    if (entry.cyclonedx !== undefined) {
      const version = typeof entry.cyclonedx === 'string' ? CYCLONEDX_VERSIONS[entry.cyclonedx] : undefined;
      if (!version) problem(kind, 'cyclonedx', `must be one of ${Object.keys(CYCLONEDX_VERSIONS).join(', ')}`);
      else checks.push(await cycloneDxCheck(version));
    }
    if (schemaFile) {
      const check = compileSchema(ajv, path.join(dir, path.basename(schemaFile)), (m) => problem(kind, 'schema', m));
      if (check) checks.push(check);
    }
    if (entry.jsonOnly === true && checks.length === 0) problem(kind, 'jsonOnly', 'needs a schema to hold files to');
    kinds.set(kind as EvidenceKind, {
      kind: kind as EvidenceKind,
      jsonOnly: entry.jsonOnly === true,
      schemaFile,
      validityDays: typeof days === 'number' ? days : null,
      basis: typeof entry.basis === 'string' ? entry.basis.trim() : '',
      checks,
    });
  }
  if (problems.length > 0) throw new EvidenceKindPolicyError(problems);
  return { expiryNoticeDays: notice as number, kinds };
}

function compileSchema(ajv: Ajv, file: string, problem: (message: string) => void): JsonCheck | null {
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(JSON.parse(fs.readFileSync(file, 'utf8')) as object);
  } catch (error) {
    problem(`${path.basename(file)} cannot be used: ${(error as Error).message.split('\n')[0]}`);
    return null;
  }
  return (data) => {
    if (validate(data)) return Promise.resolve(null);
    const [first] = validate.errors ?? [];
    return Promise.resolve(first ? { path: errorPath(first), message: errorMessage(first) } : null);
  };
}

/** The CycloneDX library's strict JSON schema of that spec version; compiled here, at load, not on the first upload. */
async function cycloneDxCheck(version: Spec.Version): Promise<JsonCheck> {
  const validator = new Validation.JsonStrictValidator(version);
  await validator.validate('{}');
  return async (_data, text) => {
    const errors = (await validator.validate(text)) as Parameters<typeof errorPath>[0][] | null;
    const first = errors?.[0];
    return first ? { path: errorPath(first), message: `${errorMessage(first)} (CycloneDX ${version})` } : null;
  };
}
