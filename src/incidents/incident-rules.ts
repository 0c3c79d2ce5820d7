import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { PolicyError } from '../common/policy-error';
import { AI_ACT_ROLES, GDPR_ROLES, HIPAA_ROLES, RISK_TIERS } from '../ai-systems/entities/ai-system.entity';
import { OWNER_ROLES } from '../catalog/policy-files';
import { AI_ACT_KINDS, GDPR_RISKS, INCIDENT_CATEGORIES, IncidentCategory } from './entities/incident.entity';
import { textOf } from '../common/text';

export const REGIMES = ['gdpr', 'hipaa', 'eu_ai_act'] as const;
export type Regime = (typeof REGIMES)[number];

/** The facts a condition may test, and the values each can take (numbers for the counts). */
export const RULE_FACTS = {
  gdprTerritorial: [true, false],
  gdprRole: GDPR_ROLES,
  gdprRisk: GDPR_RISKS,
  hipaaRole: HIPAA_ROLES,
  aiActRole: AI_ACT_ROLES,
  aiActEuNexus: [true, false],
  riskTier: RISK_TIERS,
  aiActKind: AI_ACT_KINDS,
  aiActDeath: [true, false],
  affectedCount: 'number',
  stateResidents: 'number',
} as const satisfies Record<string, readonly (string | boolean)[] | 'number'>;
export type RuleFact = keyof typeof RULE_FACTS;

export type Condition =
  | { fact: RuleFact; in: Array<string | boolean>; reason: string; ifUnknown: 'holds' | 'fails' }
  | {
      fact: RuleFact;
      compare: 'atLeast' | 'moreThan' | 'below';
      value: number;
      reason: string;
      ifUnknown: 'holds' | 'fails';
    };

export type Deadline = { hours: number } | { days: number } | { daysAfterYearEnd: number } | { noFixedPeriod: true };

export interface Period {
  basis: string | null;
  when: Condition[];
  timing: string;
  deadline: Deadline;
}

export interface ObligationRule {
  id: string;
  regime: Regime;
  category: IncidentCategory;
  legalBasis: string;
  title: string;
  recipient: string;
  /** Awareness before this day (UTC) means the provision did not apply yet. */
  appliesFrom: string | null;
  appliesFromReason: string | null;
  /** One obligation per US State or jurisdiction whose residents meet the conditions (164.406). */
  perState: boolean;
  conditions: Condition[];
  /** The first period whose `when` holds sets the due time and wording; a rule with one deadline has one period. */
  periods: Period[];
}

export interface IncidentRules {
  taskAssigneeRole: string;
  obligations: ObligationRule[];
}

/** Every problem in policies/incidents.yaml, each naming file, entry and field. */
export class IncidentRulesError extends Error {
  constructor(readonly problems: PolicyError[]) {
    super(
      `${problems.length} problem(s) in the incident rules:\n` + problems.map((p) => `  - ${p.message}`).join('\n'),
    );
  }
}

type Obj = Record<string, unknown>;
const ID = /^[a-z0-9][a-z0-9-]{2,63}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function defaultIncidentRulesFile(): string {
  return path.join(process.cwd(), 'policies', 'incidents.yaml');
}

/** Reads and validates the incident rules; throws IncidentRulesError listing every problem found. */
export function loadIncidentRules(file = defaultIncidentRulesFile()): IncidentRules {
  const display = path.relative(process.cwd(), file) || file;
  let raw: unknown;
  try {
    raw = parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new IncidentRulesError([
      new PolicyError(
        display,
        '(file)',
        '(file)',
        `cannot be read or parsed: ${(error as Error).message.split('\n')[0]}`,
      ),
    ]);
  }
  return parseIncidentRules(raw, display);
}

export function parseIncidentRules(raw: unknown, file: string): IncidentRules {
  const problems: PolicyError[] = [];
  const fail = (entry: string, field: string, problem: string) =>
    problems.push(new PolicyError(file, entry, field, problem));
  if (!isObj(raw))
    throw new IncidentRulesError([
      new PolicyError(file, '(file)', '(file)', 'must be a mapping with taskAssigneeRole and obligations'),
    ]);
  for (const key of Object.keys(raw))
    if (!['taskAssigneeRole', 'obligations'].includes(key))
      fail('(file)', key, 'unknown field; allowed fields are taskAssigneeRole, obligations');
  const taskAssigneeRole = textOf(raw.taskAssigneeRole);
  if (!(OWNER_ROLES as readonly string[]).includes(taskAssigneeRole))
    fail('(file)', 'taskAssigneeRole', `"${taskAssigneeRole}" is not one of ${OWNER_ROLES.join(', ')}`);
  const list = Array.isArray(raw.obligations) ? raw.obligations : [];
  if (!Array.isArray(raw.obligations) || list.length === 0) fail('(file)', 'obligations', 'must be a non-empty list');
  const seen = new Set<string>();
  const obligations: ObligationRule[] = [];
  list.forEach((item, index) => {
    const entry = isObj(item) && typeof item.id === 'string' ? item.id : `obligations[${index}]`;
    if (!isObj(item)) return fail(entry, '(entry)', 'must be a mapping');
    const allowed = [
      'id',
      'regime',
      'category',
      'legalBasis',
      'title',
      'recipient',
      'timing',
      'appliesFrom',
      'appliesFromReason',
      'perState',
      'conditions',
      'deadline',
      'periods',
    ];
    for (const key of Object.keys(item))
      if (!allowed.includes(key)) fail(entry, key, `unknown field; allowed fields are ${allowed.join(', ')}`);
    const text = (field: string, optional = false): string => {
      const value = item[field];
      if (value === undefined || value === null || value === '') {
        if (!optional) fail(entry, field, 'is required');
        return '';
      }
      if (typeof value !== 'string') {
        fail(entry, field, 'must be text');
        return '';
      }
      if (value.length > 400) fail(entry, field, 'is longer than 400 characters');
      return value.trim();
    };
    const id = text('id');
    if (id && !ID.test(id)) fail(entry, 'id', `"${id}" must be lower-case letters, digits and hyphens (3-64)`);
    if (seen.has(id)) fail(entry, 'id', 'is used by another obligation');
    seen.add(id);
    const regime = text('regime') as Regime;
    if (regime && !REGIMES.includes(regime)) fail(entry, 'regime', `"${regime}" is not one of ${REGIMES.join(', ')}`);
    const category = text('category') as IncidentCategory;
    if (category && !INCIDENT_CATEGORIES.includes(category))
      fail(entry, 'category', `"${category}" is not one of ${INCIDENT_CATEGORIES.join(', ')}`);
    const legalBasis = text('legalBasis');
    const appliesFrom = text('appliesFrom', true) || null;
    if (appliesFrom && (!DAY.test(appliesFrom) || Number.isNaN(Date.parse(appliesFrom))))
      fail(entry, 'appliesFrom', `"${appliesFrom}" must be a day (YYYY-MM-DD)`);
    const appliesFromReason = text('appliesFromReason', !appliesFrom) || null;
    if (item.perState !== undefined && typeof item.perState !== 'boolean')
      fail(entry, 'perState', 'must be true or false');
    const perState = item.perState === true;
    const conditions = parseConditions(item.conditions ?? [], entry, 'conditions', fail);
    if (perState && !conditions.some((c) => c.fact === 'stateResidents'))
      fail(entry, 'perState', 'a per-state obligation needs a condition on stateResidents');
    if (!perState && conditions.some((c) => c.fact === 'stateResidents'))
      fail(entry, 'conditions', 'stateResidents is only known per state: set perState: true');
    let periods: Period[] = [];
    if ((item.deadline === undefined) === (item.periods === undefined)) {
      fail(entry, 'deadline', 'give exactly one of deadline (with timing) or periods');
    } else if (item.deadline !== undefined) {
      const timing = text('timing');
      const deadline = parseDeadline(item.deadline, entry, 'deadline', fail);
      if (deadline) periods = [{ basis: null, when: [], timing, deadline }];
    } else {
      if (item.timing !== undefined) fail(entry, 'timing', 'with periods, each period has its own timing');
      periods = parsePeriods(item.periods, entry, fail);
    }
    obligations.push({
      id,
      regime,
      category,
      legalBasis,
      title: text('title'),
      recipient: text('recipient'),
      appliesFrom,
      appliesFromReason,
      perState,
      conditions,
      periods,
    });
  });
  if (problems.length > 0) throw new IncidentRulesError(problems);
  return { taskAssigneeRole, obligations };
}

function parsePeriods(
  raw: unknown,
  entry: string,
  fail: (entry: string, field: string, problem: string) => void,
): Period[] {
  if (!Array.isArray(raw) || raw.length === 0) {
    fail(entry, 'periods', 'must be a non-empty list');
    return [];
  }
  const periods: Period[] = [];
  raw.forEach((item, index) => {
    const field = `periods[${index}]`;
    if (!isObj(item)) return fail(entry, field, 'must be a mapping with basis, timing, deadline and optionally when');
    for (const key of Object.keys(item))
      if (!['basis', 'when', 'timing', 'deadline'].includes(key))
        fail(entry, `${field}.${key}`, 'unknown field; allowed fields are basis, when, timing, deadline');
    if (typeof item.basis !== 'string' || !item.basis.trim())
      fail(entry, `${field}.basis`, 'is required: the paragraph that sets this period');
    if (typeof item.timing !== 'string' || !item.timing.trim()) fail(entry, `${field}.timing`, 'is required');
    const when = parseConditions(item.when ?? [], entry, `${field}.when`, fail);
    const last = index === raw.length - 1;
    if (last && when.length > 0) fail(entry, `${field}.when`, 'the last period is the fallback and has no conditions');
    if (!last && when.length === 0) fail(entry, `${field}.when`, 'only the last period may have no conditions');
    const deadline = parseDeadline(item.deadline, entry, `${field}.deadline`, fail);
    if (deadline)
      periods.push({
        basis: textOf(item.basis).trim(),
        when,
        timing: textOf(item.timing).trim(),
        deadline,
      });
  });
  return periods;
}

function parseConditions(
  raw: unknown,
  entry: string,
  field: string,
  fail: (entry: string, field: string, problem: string) => void,
): Condition[] {
  if (!Array.isArray(raw)) {
    fail(entry, field, 'must be a list');
    return [];
  }
  const conditions: Condition[] = [];
  raw.forEach((item, index) => {
    const at = `${field}[${index}]`;
    if (!isObj(item))
      return fail(entry, at, 'must be a mapping with fact, a test (in, atLeast, moreThan, below) and a reason');
    const keys = Object.keys(item);
    for (const key of keys)
      if (!['fact', 'in', 'atLeast', 'moreThan', 'below', 'reason', 'ifUnknown'].includes(key))
        fail(entry, `${at}.${key}`, 'unknown field');
    const fact = item.fact as RuleFact;
    if (typeof fact !== 'string' || !(fact in RULE_FACTS))
      return fail(entry, `${at}.fact`, `"${String(fact)}" is not one of ${Object.keys(RULE_FACTS).join(', ')}`);
    const reason = typeof item.reason === 'string' ? item.reason.trim() : '';
    // A period's conditions choose between periods and are never shown as a reason.
    if (!reason && !field.includes('.when'))
      fail(entry, `${at}.reason`, 'is required: it is shown when the obligation is not required');
    const ifUnknown = item.ifUnknown === undefined ? 'holds' : item.ifUnknown;
    if (ifUnknown !== 'holds' && ifUnknown !== 'fails') fail(entry, `${at}.ifUnknown`, 'must be holds or fails');
    const tests = keys.filter((k) => ['in', 'atLeast', 'moreThan', 'below'].includes(k));
    if (tests.length !== 1) return fail(entry, at, 'give exactly one test: in, atLeast, moreThan or below');
    const domain = RULE_FACTS[fact];
    if (tests[0] === 'in') {
      if (domain === 'number') return fail(entry, `${at}.in`, `${fact} is a number: use atLeast, moreThan or below`);
      const values = item.in;
      if (!Array.isArray(values) || values.length === 0) return fail(entry, `${at}.in`, 'must be a non-empty list');
      const unknown = values.filter((v) => !(domain as readonly unknown[]).includes(v));
      if (unknown.length)
        return fail(
          entry,
          `${at}.in`,
          `${unknown.map(String).join(', ')} not among the values of ${fact}: ${domain.join(', ')}`,
        );
      conditions.push({
        fact,
        in: values as Array<string | boolean>,
        reason,
        ifUnknown: ifUnknown as 'holds' | 'fails',
      });
    } else {
      if (domain !== 'number') return fail(entry, `${at}.${tests[0]}`, `${fact} is not a number: use in`);
      const value = item[tests[0]];
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
        return fail(entry, `${at}.${tests[0]}`, 'must be a whole number, 0 or more');
      conditions.push({
        fact,
        compare: tests[0] as 'atLeast' | 'moreThan' | 'below',
        value,
        reason,
        ifUnknown: ifUnknown as 'holds' | 'fails',
      });
    }
  });
  return conditions;
}

function parseDeadline(
  raw: unknown,
  entry: string,
  field: string,
  fail: (entry: string, field: string, problem: string) => void,
): Deadline | null {
  const kinds = ['hours', 'days', 'daysAfterYearEnd', 'noFixedPeriod'];
  if (!isObj(raw) || Object.keys(raw).length !== 1 || !kinds.includes(Object.keys(raw)[0])) {
    fail(entry, field, `must be one of { hours: N }, { days: N }, { daysAfterYearEnd: N }, { noFixedPeriod: true }`);
    return null;
  }
  const [kind, value] = Object.entries(raw)[0];
  if (kind === 'noFixedPeriod') {
    if (value !== true) fail(entry, `${field}.noFixedPeriod`, 'must be true');
    return { noFixedPeriod: true };
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 3660) {
    fail(entry, `${field}.${kind}`, 'must be a whole number from 1 to 3660');
    return null;
  }
  return { [kind]: value } as Deadline;
}

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
