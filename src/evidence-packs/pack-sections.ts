import { effectiveRiskTier } from '../ai-systems/applicability.service';
import type { SystemObligations } from '../controls/obligations.service';
import type { AiSystemEntity } from '../ai-systems/entities/ai-system.entity';
import type { CatalogSnapshot } from '../catalog/catalog-index';
import { computeCoverage, CoverageInput } from '../controls/coverage';
import type { ControlImplementationEntity } from '../controls/entities/control-implementation.entity';
import type { EvidenceWithControls } from '../evidence/evidence.repository';
import { evidenceState } from '../evidence/staleness';
import type { TaskEntity, TaskStatus } from '../tasks/entities/task.entity';
import type {
  PackControlRow,
  PackControlTest,
  PackCoverage,
  PackEvidence,
  PackException,
  PackSystem,
  PackTask,
} from './pack-model';
import { REVIEW_INTERVAL_DAYS } from '../catalog/review-frequency';

/**
 * The section builders of an evidence pack: plain functions from records already loaded (EvidencePackAssembler) to
 * the PackModel's sections, one per section, each testable without a database.
 */

const DAY_MS = 86400000;

/** What the pack reads for one system: the coverage inputs as of the pack, with the status history when known. */
export interface SystemPackInputs {
  system: AiSystemEntity;
  coverage: Omit<CoverageInput, 'at'>;
  /** Since when each control (by code) has had the status it had at as-of; absent when no history says. */
  statusSince: Map<string, string>;
  tests: PackTestRecord[];
}

/** A control test as the controls module records it. */
export interface PackTestRecord {
  controlCode: string;
  testedAt: string;
  procedure: string;
  populationSize: number | null;
  sampleSize: number | null;
  result: string;
  testerId: string;
  notes: string;
  evidenceIds: string[];
}

export interface PackContext {
  catalog: CatalogSnapshot;
  frameworks: ReadonlySet<string>;
  at: string;
  /** The audit period; null for a system pack, which looks at everything up to as-of. */
  period: { start: string; end: string } | null;
  /** Display names of the users the pack names, by id. */
  people: ReadonlyMap<string, string>;
}

/** The frameworks in scope a control maps to, sorted; empty when the control is out of scope. */
export function controlFrameworks(context: PackContext, code: string): string[] {
  const keys = new Set<string>();
  for (const mapping of context.catalog.mappingsByControl.get(code) ?? [])
    if (context.frameworks.has(mapping.frameworkKey)) keys.add(mapping.frameworkKey);
  return [...keys].sort();
}

/** System description: the inventory record, the frameworks that apply with their reasons, its AI Act duties. */
export function systemDescription(
  system: AiSystemEntity,
  frameworks: Array<{ framework: string; applies: boolean; rules: Array<{ reason: string }> }>,
  obligations: SystemObligations,
): PackSystem {
  const data = [
    system.personalData && 'personal data',
    system.specialCategoryData && 'special-category data (GDPR Art. 9)',
    system.phi && 'protected health information',
    system.childrensData && "children's data",
  ].filter((item): item is string => typeof item === 'string');
  return {
    id: system.id,
    name: system.name,
    purpose: system.purpose,
    owner: system.owner,
    lifecycleStage: system.lifecycleStage,
    modelKind: system.modelKind,
    modelVersion: system.modelVersion,
    useCaseDomain: system.useCaseDomain,
    vendor: system.vendor,
    thirdPartyModels: system.thirdPartyModels,
    autonomy: system.autonomy,
    humanOversight: system.humanOversight,
    significantDecisions: system.significantDecisions,
    data: data.length ? data : ['no personal data'],
    jurisdictions: system.jurisdictions,
    trainingDataVersion: system.trainingDataVersion,
    riskTier: effectiveRiskTier(system),
    riskTierReason: system.riskTierOverride
      ? (system.riskTierOverrideJustification ?? system.riskTierReason)
      : system.riskTierReason,
    applicability: frameworks.map((f) => ({
      framework: f.framework,
      applies: f.applies,
      reasons: f.rules.map((r) => r.reason),
    })),
    aiAct: {
      applies: obligations.aiActApplies,
      role: obligations.aiActRole,
      obligations: obligations.obligations.map((o) => ({
        article: o.article,
        title: o.title,
        appliesFrom: o.appliesFrom,
        appliesAsOf: o.appliesToday,
        status: o.status,
        basis: o.rule.basis,
        rule: o.rule.id,
      })),
    },
  };
}

/** Coverage of one system per framework in scope, as of the pack, from inputs loaded once. */
export function coverageSection(inputs: SystemPackInputs, context: PackContext): PackCoverage[] {
  const { system } = inputs;
  return computeCoverage({ ...inputs.coverage, at: context.at })
    .filter((framework) => context.frameworks.has(framework.framework))
    .map((framework) => ({
      systemId: system.id,
      systemName: system.name,
      framework: framework.framework,
      frameworkName: framework.name,
      applicable: framework.applicable,
      covered: framework.covered,
      partial: framework.partial,
      gap: framework.gap,
      notApplicable: framework.notApplicable,
      percent: framework.percent ?? 0,
      requirements: framework.requirements.map((r) => ({
        ref: r.ref,
        title: r.title,
        status: r.status,
        reason: r.reason,
        decidedBy: {
          rule: r.decidedBy.rule,
          threshold: r.decidedBy.threshold,
          controls: r.decidedBy.controls,
          ...(r.decidedBy.jointSet ? { jointSet: r.decidedBy.jointSet } : {}),
        },
        controls: r.controls.map(({ evidence, ...control }) => ({
          ...control,
          evidence: evidence.map((e) => ({ id: e.id, title: e.title, sha256: e.sha256, current: e.current })),
        })),
      })),
    }));
}

const inPeriod = (context: PackContext, instant: string) =>
  !context.period || (instant >= context.period.start && instant <= context.period.end);

/** Evidence uploaded by as-of for controls in scope, with its review and currency then. */
export function evidenceRegister(
  inputs: SystemPackInputs,
  context: PackContext,
): Array<PackEvidence & { systemId: string }> {
  const { system } = inputs;
  return inputs.coverage.evidence
    .filter((e) => e.uploadedAt <= context.at && e.controlCodes.some((code) => controlFrameworks(context, code).length))
    .map((e) => {
      const state = evidenceState(e, system, context.at, e.supersededAt);
      const reviewed = e.reviewedBy !== null && e.reviewedAt !== null && e.reviewedAt <= context.at;
      return {
        id: e.id,
        systemId: system.id,
        systemName: system.name,
        title: e.title,
        kind: e.kind,
        controls: e.controlCodes,
        sha256: e.sha256,
        sizeBytes: e.sizeBytes,
        fileName: e.fileName,
        collectedAt: e.collectedAt,
        validUntil: e.validUntil,
        reviewStatus: state.reviewStatus,
        reviewer: reviewed ? (context.people.get(e.reviewedBy!) ?? e.reviewedBy) : null,
        current: state.current,
        staleReason: state.staleReason,
        withinPeriod: inPeriod(context, e.collectedAt),
        currency:
          state.reviewStatus === 'rejected'
            ? 'rejected'
            : state.stale
              ? 'stale'
              : state.reviewStatus === 'accepted'
                ? 'current'
                : 'awaiting review',
      };
    });
}

/** One row per control implementation in scope: objective, named owner, test procedure and tests, status as of. */
export function controlMatrix(inputs: SystemPackInputs, context: PackContext): PackControlRow[] {
  const { system } = inputs;
  const currentByControl = new Map<string, number>();
  for (const e of inputs.coverage.evidence) {
    if (e.uploadedAt > context.at || !evidenceState(e, system, context.at, e.supersededAt).current) continue;
    for (const code of e.controlCodes) currentByControl.set(code, (currentByControl.get(code) ?? 0) + 1);
  }
  const testsByControl = new Map<string, PackControlTest[]>();
  for (const test of inputs.tests) {
    if (test.testedAt > context.at || !inPeriod(context, test.testedAt)) continue;
    const list = testsByControl.get(test.controlCode) ?? [];
    list.push({
      testedAt: test.testedAt,
      procedure: test.procedure,
      populationSize: test.populationSize,
      sampleSize: test.sampleSize,
      result: test.result,
      tester: context.people.get(test.testerId) ?? test.testerId,
      notes: test.notes,
      evidenceIds: test.evidenceIds,
    });
    testsByControl.set(test.controlCode, list);
  }
  return inputs.coverage.implementations
    .map((implementation) => ({ implementation, frameworks: controlFrameworks(context, implementation.controlCode) }))
    .filter(({ frameworks }) => frameworks.length > 0)
    .sort((a, b) => a.implementation.controlCode.localeCompare(b.implementation.controlCode))
    .map(({ implementation: i, frameworks }) => {
      const control = context.catalog.controlByCode.get(i.controlCode);
      return {
        systemName: system.name,
        code: i.controlCode,
        title: control?.title ?? i.controlCode,
        objective: control?.objective ?? '',
        testProcedure: control?.testProcedure ?? '',
        reviewFrequency: control?.reviewFrequency ?? '',
        status: i.status,
        statusSince: inputs.statusSince.get(i.controlCode) ?? null,
        owner: ownerOf(i, context),
        tests: (testsByControl.get(i.controlCode) ?? []).sort((a, b) => a.testedAt.localeCompare(b.testedAt)),
        lastReviewedAt: i.lastReviewedAt,
        nextReviewDue: i.nextReviewDue,
        currentEvidence: currentByControl.get(i.controlCode) ?? 0,
        frameworks,
      };
    });
}

/** The named owner when one is set, else the owner text (a role or team) recorded on the implementation. */
function ownerOf(implementation: ControlImplementationEntity, context: PackContext): string {
  const named = implementation.ownerUserId ? context.people.get(implementation.ownerUserId) : undefined;
  return named ?? implementation.owner;
}

/**
 * Exceptions and deviations of one system in the period (up to as-of): failed and exception tests, evidence that
 * expired or was rejected, implemented controls without current accepted evidence for part of the period, reviews
 * missed against each control's review frequency.
 */
export function systemExceptions(
  inputs: SystemPackInputs,
  matrix: PackControlRow[],
  context: PackContext,
): PackException[] {
  const { system } = inputs;
  const exceptions: PackException[] = [];
  const from = context.period?.start ?? null;
  const seen = (instant: string) => instant <= context.at && (from === null || instant >= from);
  for (const row of matrix) {
    for (const test of row.tests) {
      if (test.result !== 'fail' && test.result !== 'exception') continue;
      exceptions.push({
        kind: test.result === 'fail' ? 'test_failed' : 'test_exception',
        systemName: system.name,
        controlCode: row.code,
        at: test.testedAt,
        detail: `${test.result === 'fail' ? 'Test failed' : 'Test exception'} (tester ${test.tester}): ${test.notes || test.procedure}`,
      });
    }
  }
  const evidence = inputs.coverage.evidence.filter(
    (e) => e.uploadedAt <= context.at && e.controlCodes.some((code) => controlFrameworks(context, code).length),
  );
  for (const e of evidence) {
    if (e.validUntil && seen(e.validUntil) && !(e.supersededAt && e.supersededAt <= e.validUntil)) {
      exceptions.push({
        kind: 'evidence_expired',
        systemName: system.name,
        controlCode: e.controlCodes[0] ?? null,
        at: e.validUntil,
        detail: `"${e.title}" (${e.controlCodes.join(', ')}) expired and was not replaced before it did`,
      });
    }
    if (e.reviewStatus === 'rejected' && e.reviewedAt && e.reviewedAt <= context.at) {
      exceptions.push({
        kind: 'evidence_rejected',
        systemName: system.name,
        controlCode: e.controlCodes[0] ?? null,
        at: e.reviewedAt,
        detail: `"${e.title}" (${e.controlCodes.join(', ')}) was rejected in review`,
      });
    }
  }
  for (const row of matrix) {
    if (row.status !== 'implemented') continue;
    const gap = evidenceGap(row, evidence, system, context);
    if (gap) {
      exceptions.push({
        kind: 'evidence_missing',
        systemName: system.name,
        controlCode: row.code,
        at: gap.from,
        detail: `Implemented without current accepted evidence from ${gap.from.slice(0, 10)} to ${gap.to.slice(0, 10)}`,
      });
    }
    const missed = missedReview(row, context.at);
    if (missed) exceptions.push({ kind: 'review_missed', systemName: system.name, controlCode: row.code, ...missed });
  }
  return exceptions;
}

/**
 * The longest span of at least a day, between the later of the period start and the time the control became
 * implemented and as-of, in which none of its accepted evidence was current; null when there is none.
 */
function evidenceGap(
  row: PackControlRow,
  evidence: EvidenceWithControls[],
  system: AiSystemEntity,
  context: PackContext,
): { from: string; to: string } | null {
  const starts = [context.period?.start, row.statusSince].filter((value): value is string => !!value);
  if (starts.length === 0) return null;
  const start = starts.sort()[starts.length - 1];
  const windows = evidence
    .filter(
      (e) =>
        e.controlCodes.includes(row.code) &&
        e.reviewStatus === 'accepted' &&
        e.reviewedAt !== null &&
        e.reviewedAt <= context.at,
    )
    .map((e) => {
      const ends = [e.validUntil, e.supersededAt, context.at];
      if (system.modelVersionChangedAt && system.modelVersionChangedAt > e.collectedAt)
        ends.push(system.modelVersionChangedAt);
      return {
        from: e.reviewedAt! > e.uploadedAt ? e.reviewedAt! : e.uploadedAt,
        to: ends.filter((value): value is string => !!value).sort()[0],
      };
    })
    .sort((a, b) => a.from.localeCompare(b.from));
  let longest: { from: string; to: string } | null = null;
  let cursor = start;
  const consider = (to: string) => {
    if (Date.parse(to) - Date.parse(cursor) >= DAY_MS) {
      if (!longest || Date.parse(to) - Date.parse(cursor) > Date.parse(longest.to) - Date.parse(longest.from))
        longest = { from: cursor, to };
    }
  };
  for (const window of windows) {
    if (window.from > cursor) consider(window.from);
    if (window.to > cursor) cursor = window.to;
  }
  if (cursor < context.at) consider(context.at);
  return longest;
}

/** A review due by as-of and not done, against the scheduled date or the control's review frequency. */
function missedReview(row: PackControlRow, at: string): { at: string; detail: string } | null {
  const reviewed = row.lastReviewedAt && row.lastReviewedAt <= at ? row.lastReviewedAt : null;
  if (row.nextReviewDue && row.nextReviewDue < at && (!reviewed || reviewed < row.nextReviewDue))
    return {
      at: row.nextReviewDue,
      detail: `Review due ${row.nextReviewDue.slice(0, 10)} not done (last reviewed ${reviewed?.slice(0, 10) ?? 'never'})`,
    };
  const interval = REVIEW_INTERVAL_DAYS[row.reviewFrequency];
  const since = reviewed ?? row.statusSince;
  if (!interval || !since) return null;
  const due = new Date(Date.parse(since) + interval * DAY_MS).toISOString();
  if (due >= at) return null;
  return {
    at: due,
    detail: `${row.reviewFrequency} review cadence missed: ${reviewed ? `last reviewed ${reviewed.slice(0, 10)}` : `implemented since ${since.slice(0, 10)}, never reviewed`}`,
  };
}

/** Open tasks of kind remediation (compact), the other open kinds only counted; overdue ones are also exceptions. */
export function remediationSection(
  tasks: Array<TaskEntity & { statusAt: TaskStatus }>,
  systemNames: ReadonlyMap<string, string>,
  context: PackContext,
): { openRemediation: PackTask[]; otherOpenTasks: Record<string, number>; overdue: PackException[] } {
  const otherOpenTasks: Record<string, number> = {};
  const openRemediation: PackTask[] = [];
  for (const t of tasks) {
    if (t.kind !== 'remediation') {
      otherOpenTasks[t.kind] = (otherOpenTasks[t.kind] ?? 0) + 1;
      continue;
    }
    openRemediation.push({
      id: t.id,
      systemName: systemNames.get(t.systemId) ?? t.systemId,
      controlCode: t.controlCode,
      kind: t.kind,
      title: t.title,
      status: t.statusAt,
      priority: t.priority,
      assignee: t.assigneeUserId ? (context.people.get(t.assigneeUserId) ?? t.assigneeUserId) : null,
      dueDate: t.dueDate,
      overdue: t.dueDate !== null && t.dueDate < context.at,
    });
  }
  openRemediation.sort(
    (a, b) => (a.dueDate ?? '\uffff').localeCompare(b.dueDate ?? '\uffff') || a.id.localeCompare(b.id),
  );
  const overdue = openRemediation
    .filter((task) => task.overdue)
    .map((task) => ({
      kind: 'remediation_overdue' as const,
      systemName: task.systemName,
      controlCode: task.controlCode,
      at: task.dueDate,
      detail: `"${task.title}" (${task.status.replace(/_/g, ' ')}, ${task.assignee ?? 'unassigned'}) overdue`,
    }));
  return { openRemediation, otherOpenTasks, overdue };
}

const EXCEPTION_ORDER: PackException['kind'][] = [
  'test_failed',
  'test_exception',
  'evidence_rejected',
  'evidence_expired',
  'evidence_missing',
  'review_missed',
  'remediation_overdue',
];

/** Exceptions by kind (the order above), then system, then time. */
export function sortExceptions(exceptions: PackException[]): PackException[] {
  return [...exceptions].sort(
    (a, b) =>
      EXCEPTION_ORDER.indexOf(a.kind) - EXCEPTION_ORDER.indexOf(b.kind) ||
      a.systemName.localeCompare(b.systemName) ||
      (a.at ?? '').localeCompare(b.at ?? ''),
  );
}
