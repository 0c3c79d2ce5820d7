import { DateTime } from 'luxon';
import type { AiActKind, GdprRisk, IncidentCategory } from './entities/incident.entity';
import type { Condition, Deadline, IncidentRules, ObligationRule, Period, Regime, RuleFact } from './incident-rules';

/** One of the incident's systems, reduced to the facts the rules read. null: not answered yet. */
export interface SystemFacts {
  id: string;
  name: string;
  gdprRole: string | null;
  gdprTerritorial: boolean | null;
  hipaaRole: string | null;
  aiActRole: string | null;
  /** Where aiActRole came from: the system's own answer, the incident's, or neither. */
  aiActRoleSource: 'system' | 'incident' | null;
  aiActEuNexus: boolean | null;
  riskTier: string;
}

export interface IncidentFacts {
  categories: readonly IncidentCategory[];
  becameAwareAt: string;
  aiActKind: AiActKind | null;
  aiActDeath: boolean;
  gdprRisk: GdprRisk | null;
  affectedCount: number | null;
  affectedByState: Readonly<Record<string, number>>;
  systems: readonly SystemFacts[];
}

export interface ComputedObligation {
  key: string;
  ruleId: string;
  regime: Regime;
  legalBasis: string;
  title: string;
  recipient: string;
  required: boolean;
  notRequiredReason: string | null;
  dueAt: string | null;
  timing: string;
  counting: string;
  assumptions: string[];
}

const SYSTEM_FACTS = new Set<RuleFact>([
  'gdprRole',
  'gdprTerritorial',
  'hipaaRole',
  'aiActRole',
  'aiActEuNexus',
  'riskTier',
]);

/** What an unanswered fact means, in words, for the obligation's assumptions. */
const UNKNOWN_WORDS: Record<RuleFact, (system?: string) => string> = {
  gdprTerritorial: (s) => `whether GDPR reaches ${s} (Art. 3: establishment, offering, monitoring) is not answered`,
  gdprRole: (s) => `the organisation's GDPR role for ${s} (controller or processor) is not answered`,
  gdprRisk: () => 'the risk of the breach to people (unlikely, risk, high) is not assessed yet',
  hipaaRole: (s) => `the organisation's HIPAA role for ${s} (covered entity or business associate) is not answered`,
  aiActRole: (s) =>
    `the organisation's AI Act role (provider, deployer...) is recorded neither for ${s} nor on the incident`,
  aiActEuNexus: (s) =>
    `whether ${s} is placed on the market, put into service or used in the EU (Art. 2(1)) is not recorded`,
  riskTier: (s) => `the risk tier of ${s} is not known`,
  aiActKind: () => 'the kind of serious incident is not given',
  aiActDeath: () => 'whether a person died is not given',
  affectedCount: () => 'the number of people affected is not known yet',
  stateResidents: () => 'the residents affected per State are not recorded yet',
};

type Outcome = { result: 'holds' } | { result: 'fails'; reason: string } | { result: 'assumed'; assumptions: string[] };

/**
 * Every obligation the rules list for the incident's categories, required or not, with its due time. Pure: the
 * same facts, rules and time zone always give the same list, in rule order (per-State ones by State code).
 */
export function computeObligations(facts: IncidentFacts, rules: IncidentRules, timeZone: string): ComputedObligation[] {
  const out: ComputedObligation[] = [];
  for (const rule of rules.obligations) {
    if (!facts.categories.includes(rule.category)) continue;
    if (rule.perState) out.push(...perState(rule, facts, timeZone));
    else out.push(evaluate(rule, rule.id, facts, timeZone, null));
  }
  return out;
}

function perState(rule: ObligationRule, facts: IncidentFacts, timeZone: string): ComputedObligation[] {
  const states = Object.keys(facts.affectedByState).sort();
  if (states.length === 0) return [evaluate(rule, rule.id, facts, timeZone, null)];
  const each = states.map((state) => evaluate(rule, `${rule.id}:${state}`, facts, timeZone, state));
  const required = each.filter((o) => o.required);
  if (required.length > 0) return required;
  // No State qualifies: one entry says so, naming the largest count recorded.
  const largest = states.reduce((a, b) => (facts.affectedByState[b] > facts.affectedByState[a] ? b : a));
  const none = evaluate(rule, rule.id, facts, timeZone, largest);
  return [{ ...none, recipient: rule.recipient }];
}

function evaluate(
  rule: ObligationRule,
  key: string,
  facts: IncidentFacts,
  timeZone: string,
  state: string | null,
): ComputedObligation {
  const period = choosePeriod(rule.periods, facts, state);
  const basis = period.basis ? `${rule.legalBasis}, ${period.basis}` : rule.legalBasis;
  const due = dueTime(period.deadline, facts.becameAwareAt, timeZone);
  const base: ComputedObligation = {
    key,
    ruleId: rule.id,
    regime: rule.regime,
    legalBasis: basis,
    title: state ? `${rule.title} (${state})` : rule.title,
    recipient: state ? `${rule.recipient}: ${state}` : rule.recipient,
    required: true,
    notRequiredReason: null,
    dueAt: due.dueAt,
    timing: period.timing,
    counting: due.counting,
    assumptions: [],
  };
  if (rule.appliesFrom && facts.becameAwareAt < `${rule.appliesFrom}T00:00:00.000Z`) {
    return {
      ...base,
      required: false,
      notRequiredReason: `${rule.appliesFromReason} (became aware on ${facts.becameAwareAt.slice(0, 10)})`,
    };
  }
  for (const condition of rule.conditions) {
    const outcome = test(condition, facts, state);
    if (outcome.result === 'fails') return { ...base, required: false, notRequiredReason: outcome.reason };
    if (outcome.result === 'assumed') base.assumptions.push(...outcome.assumptions);
  }
  return base;
}

function choosePeriod(periods: Period[], facts: IncidentFacts, state: string | null): Period {
  // Choosing between periods assumes nothing: an unknown fact does not select a shorter period.
  return (
    periods.find((p) => p.when.every((c) => test({ ...c, ifUnknown: 'fails' }, facts, state).result === 'holds')) ??
    periods[periods.length - 1]
  );
}

/** The values a fact has: one per system for system facts (null where unanswered), one for incident facts. */
function valuesOf(
  fact: RuleFact,
  facts: IncidentFacts,
  state: string | null,
): Array<{ value: string | boolean | number | null; system?: string }> {
  if (SYSTEM_FACTS.has(fact))
    return facts.systems.map((s) => ({
      value: s[fact as keyof SystemFacts],
      system: s.name,
    }));
  switch (fact) {
    case 'gdprRisk':
      return [{ value: facts.gdprRisk }];
    case 'aiActKind':
      return [{ value: facts.aiActKind }];
    case 'aiActDeath':
      return [{ value: facts.aiActDeath }];
    case 'affectedCount':
      return [{ value: facts.affectedCount }];
    case 'stateResidents':
      return [{ value: state === null ? null : (facts.affectedByState[state] ?? null) }];
    default:
      return [{ value: null }];
  }
}

function test(condition: Condition, facts: IncidentFacts, state: string | null): Outcome {
  const values = valuesOf(condition.fact, facts, state);
  const known = values.filter((v) => v.value !== null);
  const unknown = values.filter((v) => v.value === null);
  const found = known
    .map((v) => (v.system && facts.systems.length > 1 ? `${String(v.value)} (${v.system})` : String(v.value)))
    .join(', ');
  const failure = (why: string): Outcome => ({ result: 'fails', reason: `${condition.reason} (${why})` });
  let holds: boolean;
  if ('in' in condition) {
    holds = known.some((v) => condition.in.includes(v.value as string | boolean));
  } else {
    holds = known.some((v) => compare(condition.compare, v.value as number, condition.value));
    // Without per-State counts, the total bounds every State's count from above.
    if (condition.fact === 'stateResidents' && state === null && facts.affectedCount !== null) {
      const bound = compare(condition.compare, facts.affectedCount, condition.value);
      if (condition.compare !== 'below' && !bound) return failure(`${facts.affectedCount} people affected in all`);
      if (condition.compare === 'below' && bound) return { result: 'holds' };
    }
  }
  if (holds) return { result: 'holds' };
  if (unknown.length > 0) {
    const words = unknown.map((v) => UNKNOWN_WORDS[condition.fact](v.system ?? 'the system'));
    if (condition.ifUnknown === 'fails') return failure(words.join('; '));
    return { result: 'assumed', assumptions: words };
  }
  return failure(`${condition.fact}: ${found}${state ? ` in ${state}` : ''}`);
}

function compare(kind: 'atLeast' | 'moreThan' | 'below', actual: number, limit: number): boolean {
  if (kind === 'atLeast') return actual >= limit;
  if (kind === 'moreThan') return actual > limit;
  return actual < limit;
}

/**
 * The due time of a deadline that runs from `from` (an ISO instant): hours exactly; calendar days in `timeZone`,
 * not counting the day of awareness and ending with the last millisecond of the last day; days after the end of the
 * calendar year of awareness the same way. Returns the instant in UTC and how it was counted, in words.
 */
export function dueTime(
  deadline: Deadline,
  from: string,
  timeZone: string,
): { dueAt: string | null; counting: string } {
  const aware = DateTime.fromISO(from, { zone: 'utc' }).setZone(timeZone);
  const shown = (dt: DateTime) => `${dt.setZone(timeZone).toFormat('yyyy-MM-dd HH:mm')} ${timeZone}`;
  if ('noFixedPeriod' in deadline)
    return { dueAt: null, counting: 'The provision sets no fixed period: act at once and record when' };
  if ('hours' in deadline) {
    const due = aware.plus({ hours: deadline.hours });
    return {
      dueAt: utc(due),
      counting: `${deadline.hours} hours after becoming aware at ${shown(aware)}: ${shown(due)}`,
    };
  }
  if ('days' in deadline) {
    const due = aware
      .startOf('day')
      .plus({ days: deadline.days + 1 })
      .minus({ milliseconds: 1 });
    return {
      dueAt: utc(due),
      counting: `${deadline.days} calendar days after the day of awareness (${aware.toFormat('yyyy-MM-dd')}, not counted), ending with ${due.toFormat('yyyy-MM-dd')} in ${timeZone}`,
    };
  }
  const yearEnd = aware.startOf('year').plus({ years: 1 });
  const due = yearEnd.plus({ days: deadline.daysAfterYearEnd }).minus({ milliseconds: 1 });
  return {
    dueAt: utc(due),
    counting: `${deadline.daysAfterYearEnd} days after the end of ${aware.year}, the calendar year of awareness, ending with ${due.toFormat('yyyy-MM-dd')} in ${timeZone}`,
  };
}

function utc(dt: DateTime): string {
  return new Date(dt.toMillis()).toISOString();
}

export type ObligationState = 'due' | 'done' | 'late' | 'not_required';

/** The state at `now`: done once a notification is recorded, late past the due time without one. */
export function obligationState(
  obligation: { required: boolean; dueAt: string | null },
  notified: boolean,
  now: string,
): ObligationState {
  if (!obligation.required) return 'not_required';
  if (notified) return 'done';
  if (obligation.dueAt !== null && now > obligation.dueAt) return 'late';
  return 'due';
}

export interface ObligationChange {
  key: string;
  legalBasis: string;
  change: 'added' | 'now_required' | 'now_not_required' | 'due_changed' | 'basis_changed';
  before: { required: boolean; dueAt: string | null; legalBasis: string } | null;
  after: { required: boolean; dueAt: string | null; legalBasis: string; notRequiredReason: string | null };
}

/** What a recomputation changed, stored obligation by stored obligation; keys no longer computed are given here as not required. */
export function diffObligations(
  stored: readonly ComputedObligation[],
  computed: readonly ComputedObligation[],
): { next: ComputedObligation[]; changes: ObligationChange[] } {
  const byKey = new Map(stored.map((o) => [o.key, o]));
  const next = [...computed];
  const computedKeys = new Set(computed.map((o) => o.key));
  for (const old of stored) {
    if (computedKeys.has(old.key)) continue;
    next.push({
      ...old,
      assumptions: [],
      required: false,
      notRequiredReason: old.required
        ? "No longer follows from the incident's facts as they now stand"
        : old.notRequiredReason,
    });
  }
  const changes: ObligationChange[] = [];
  for (const o of next) {
    const before = byKey.get(o.key);
    const after = {
      required: o.required,
      dueAt: o.dueAt,
      legalBasis: o.legalBasis,
      notRequiredReason: o.notRequiredReason,
    };
    const change: ObligationChange['change'] | null = !before
      ? 'added'
      : before.required !== o.required
        ? o.required
          ? 'now_required'
          : 'now_not_required'
        : before.dueAt !== o.dueAt
          ? 'due_changed'
          : before.legalBasis !== o.legalBasis
            ? 'basis_changed'
            : null;
    if (change)
      changes.push({
        key: o.key,
        legalBasis: o.legalBasis,
        change,
        before: before ? { required: before.required, dueAt: before.dueAt, legalBasis: before.legalBasis } : null,
        after,
      });
  }
  return { next, changes };
}
