import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  PackCitedEvidence,
  PackControlRow,
  PackCoverage,
  PackEvidence,
  PackIncident,
  PackMappedControl,
  PackModel,
  PackRequirement,
  PackSystem,
  PackThreat,
  PackThreatModel,
} from './pack-model';
import { formatDate, formatDateTime, loadPackTemplates, PackTemplates } from '../pdf/pack-templates';

/** Where the evidence-pack templates live; defaults to templates/evidence-pack under the working directory. */
export const PACK_TEMPLATE_DIR = Symbol('PACK_TEMPLATE_DIR');

/** What the templates receive: the model as assembled, plus counts and names derived from it. */
export interface PackView extends Omit<
  PackModel,
  'scope' | 'coverage' | 'evidenceIndex' | 'threatCoverage' | 'incidents'
> {
  scope: Omit<PackModel['scope'], 'systems'> & { systems: PackViewSystem[] };
  coverage: PackViewCoverage[];
  evidenceIndex: PackViewEvidence[];
  /** Coverage rows, the control matrix and the evidence index grouped by system, in the order the model lists them. */
  coverageBySystem: Array<{ systemName: string; rows: PackViewCoverage[] }>;
  /** Per system: controls with something to show in full (not "not started"), and the not-started ones listed. */
  controlMatrixBySystem: Array<{ systemName: string; rows: PackViewControlRow[]; notStarted: PackControlRow[] }>;
  /** Requirements that do not apply or are organisational: one line per framework and reason, not a row each. */
  excluded: Array<{ frameworkName: string; lines: Array<{ refs: string; reason: string; systems: string }> }>;
  exceptionGroups: Array<{ label: string; rows: PackModel['exceptions'] }>;
  otherOpenTasksLine: string;
  /** Open remediation grouped by system, priority, status, assignee and due date: the controls listed once per group. */
  remediationGroups: Array<{
    systemName: string;
    priority: string;
    status: string;
    assignee: string | null;
    dueDate: string | null;
    overdue: boolean;
    controls: string;
    untied: string[];
  }>;
  /** "INTERIM" when the period had not ended at generation, else empty. */
  interimLabel: string;
  evidenceBySystem: Array<{ systemName: string; rows: PackViewEvidence[] }>;
  /** Each threat's rules, mitigations and red-team result as one plain text line each (the section renders 100s). */
  threatCoverage: Array<
    Omit<PackThreatModel, 'threats'> & {
      factsLine: string;
      /** Each rule that makes threats relevant, once per system: its reason and the threats it names. */
      ruleLines: string[];
      threats: Array<PackThreat & { rulesLine: string; mitigationLines: string[]; redTeamLine: string }>;
    }
  >;
  incidents: Omit<PackModel['incidents'], 'items'> & {
    items: Array<PackIncident & { factsLine: string; obligationLines: string[] }>;
  };
  summary: {
    systems: number;
    frameworks: number;
    controls: number;
    evidence: number;
    staleEvidence: number;
    rejectedEvidence: number;
    exceptions: number;
    openRemediation: number;
    overdueRemediation: number;
  };
}

/**
 * Evidence carries a pack-local reference (E001, E002... in evidence-index order) so that the traceability section
 * can cite it in a few characters; the evidence index prints the reference beside the full SHA-256.
 */
export interface PackViewEvidence extends PackEvidence {
  ref: string;
}

/** Coverage as the model has it, with each cited evidence item carrying its index reference too. */
export interface PackViewCoverage extends Omit<PackCoverage, 'requirements'> {
  requirements: PackViewRequirement[];
  /** Covered and partial requirements, traced in full. */
  traced: PackViewRequirement[];
  /** Gaps: one line each, the controls that would cover them. */
  gaps: Array<{ ref: string; title: string; controls: string }>;
}

export type PackViewRequirement = Omit<PackRequirement, 'controls'> & {
  controls: PackViewMappedControl[];
  why: string;
};

export interface PackViewControlRow extends PackControlRow {
  testLines: string[];
}

export interface PackViewMappedControl extends Omit<PackMappedControl, 'evidence'> {
  evidence: Array<PackCitedEvidence & { ref: string }>;
}

export interface PackViewSystem extends Omit<PackSystem, 'applicability'> {
  applicability: Array<PackSystem['applicability'][number] & { frameworkName: string }>;
}

/**
 * Turns a PackModel into the self-contained HTML document the PDF renderer prints. The templates are loaded,
 * checked and compiled once, when the builder is created; a bad template stops the app with the file's name.
 * Usable without Nest: `new PackHtmlBuilder()` or `new PackHtmlBuilder(dir)`.
 */
@Injectable()
export class PackHtmlBuilder {
  private readonly templates: PackTemplates;

  constructor(@Optional() @Inject(PACK_TEMPLATE_DIR) templateDir?: string) {
    this.templates = loadPackTemplates(templateDir);
  }

  build(model: PackModel): string {
    return this.templates.render(toPackView(model));
  }

  /** The line printed beside the page number on every page (the renderer escapes it). */
  footer(model: PackModel): string {
    return `${model.interim ? 'INTERIM \u00b7 ' : ''}Evidence pack ${model.packId} \u00b7 records as of ${formatDateTime(model.asOf)}`;
  }
}

export function toPackView(model: PackModel): PackView {
  const frameworkNames = new Map(model.scope.frameworks.map((framework) => [framework.key, framework.name]));
  const evidenceBySystem = evidenceWithRefs(model.evidenceIndex);
  const evidenceIndex = evidenceBySystem.flatMap((group) => group.rows);
  const refById = new Map(evidenceIndex.map((evidence) => [evidence.id, evidence.ref]));
  const citeEvidence = (id: string) => refById.get(id) ?? id.slice(0, 8);
  const coverage = model.coverage.map((block) =>
    withTrace({
      ...block,
      requirements: block.requirements.map((requirement) => ({
        ...requirement,
        why: decisionLine(requirement, citeEvidence),
        controls: requirement.controls.map((control) => ({
          ...control,
          // Evidence outside the index cannot happen for an assembled pack; cite its hash rather than drop it.
          evidence: control.evidence.map((evidence) => ({
            ...evidence,
            ref: refById.get(evidence.id) ?? evidence.sha256.slice(0, 12),
          })),
        })),
      })),
    }),
  );
  return {
    ...model,
    coverage,
    evidenceIndex,
    scope: {
      ...model.scope,
      systems: model.scope.systems.map((system) => ({
        ...system,
        applicability: system.applicability.map((entry) => ({
          ...entry,
          frameworkName: frameworkNames.get(entry.framework) ?? entry.framework,
        })),
      })),
    },
    threatCoverage: model.threatCoverage.map((system) => ({
      ...system,
      factsLine: threatFactsLine(system.facts),
      ruleLines: threatRuleLines(system.threats),
      threats: system.threats.map((threat) => ({ ...threat, ...threatLines(threat) })),
    })),
    incidents: {
      ...model.incidents,
      items: model.incidents.items.map((incident) => ({
        ...incident,
        factsLine: [
          `Severity ${incident.severity}`,
          incident.categories.length ? incident.categories.map((c) => c.replace(/_/g, ' ')).join(', ') : 'no category',
          `${incident.status.replace(/_/g, ' ')} (status now)`,
          `systems ${incident.systems.join(', ')}`,
          `detected ${formatDateTime(incident.detectedAt)}`,
          `aware ${formatDateTime(incident.becameAwareAt)}`,
        ].join(' \u00b7 '),
        obligationLines: incident.obligations.map(
          (o) =>
            `${o.legalBasis} ${o.title} (to ${o.recipient}): due ${o.dueAtLocal ?? 'no fixed period'} \u00b7 ${o.state.replace(/_/g, ' ')}` +
            o.notifications
              .map(
                (n) =>
                  ` \u00b7 notified ${formatDateTime(n.sentAt)} via ${n.channel.replace(/_/g, ' ')} to ${n.recipient}${n.late ? ' (late)' : ''}`,
              )
              .join(''),
        ),
      })),
    },
    coverageBySystem: groupBySystem(coverage),
    controlMatrixBySystem: groupBySystem(model.controlMatrix).map((group) => ({
      systemName: group.systemName,
      rows: group.rows
        .filter((row) => row.status !== 'not_started' || row.tests.length > 0)
        .map((row) => ({ ...row, testLines: row.tests.map((test) => testLine(test, citeEvidence)) })),
      notStarted: group.rows.filter((row) => row.status === 'not_started' && row.tests.length === 0),
    })),
    excluded: excludedLines(model),
    exceptionGroups: groupExceptions(model.exceptions),
    otherOpenTasksLine: Object.entries(model.otherOpenTasks)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([kind, count]) => `${count} ${kind.replace(/_/g, ' ')}`)
      .join(', '),
    interimLabel: model.interim ? 'INTERIM' : '',
    remediationGroups: remediationGroups(model.openRemediation),
    evidenceBySystem,
    summary: {
      systems: model.scope.systems.length,
      frameworks: model.scope.frameworks.length,
      controls: new Set(model.controlMatrix.map((row) => row.code)).size,
      evidence: model.evidenceIndex.length,
      staleEvidence: model.evidenceIndex.filter((evidence) => evidence.currency === 'stale').length,
      rejectedEvidence: model.evidenceIndex.filter((evidence) => evidence.currency === 'rejected').length,
      exceptions: model.exceptions.length,
      openRemediation: model.openRemediation.length,
      overdueRemediation: model.openRemediation.filter((task) => task.overdue).length,
    },
  };
}

/** Mapped controls not started and without evidence say nothing on their own: they share one line. */
function splitControls(controls: PackViewMappedControl[]): {
  activeControls: PackViewMappedControl[];
  idleControls: string;
} {
  const idle = (c: PackViewMappedControl) => c.status === 'not_started' && c.evidence.length === 0;
  return {
    activeControls: controls.filter((c) => !idle(c)),
    idleControls: controls
      .filter(idle)
      .map((c) => `${c.code} ${c.relationship} ${c.strength}/10${c.sufficient ? ' sufficient' : ''}`)
      .join(', '),
  };
}

/** Splits a framework's requirements into those traced in full (covered, partial) and gaps listed one per line. */
function withTrace(
  block: Omit<PackViewCoverage, 'traced' | 'gaps' | 'requirements'> & {
    requirements: Array<Omit<PackViewRequirement, 'activeControls' | 'idleControls'>>;
  },
): PackViewCoverage {
  const requirements = block.requirements.map((r) => ({ ...r, ...splitControls(r.controls) }));
  return {
    ...block,
    requirements,
    traced: requirements.filter((r) => r.status === 'covered' || r.status === 'partial'),
    gaps: requirements
      .filter((r) => r.status === 'gap')
      .map((r) => ({
        ref: r.ref,
        title: r.title,
        controls: r.controls.length
          ? r.controls.map((c) => `${c.code}${c.sufficient ? '*' : ''}`).join(', ')
          : 'no control of the library maps to it',
      })),
  };
}

const NOT_APPLICABLE_PREFIX = /^not applicable: /;

/**
 * The requirements that do not apply, per framework: one line per reason with the refs it covers and the systems
 * it holds for ("all systems" when every system in scope); a framework that does not apply to a system is one line.
 */
function excludedLines(model: PackModel): PackView['excluded'] {
  const systemCount = new Set(model.coverage.map((block) => block.systemName)).size;
  const byFramework = new Map<string, { frameworkName: string; reasons: Map<string, Map<string, Set<string>>> }>();
  for (const block of model.coverage) {
    const entry = byFramework.get(block.framework) ?? {
      frameworkName: block.frameworkName,
      reasons: new Map<string, Map<string, Set<string>>>(),
    };
    byFramework.set(block.framework, entry);
    for (const requirement of block.requirements) {
      if (requirement.status !== 'not_applicable') continue;
      const reason = requirement.reason.replace(NOT_APPLICABLE_PREFIX, '');
      const refs = entry.reasons.get(reason) ?? new Map<string, Set<string>>();
      entry.reasons.set(reason, refs);
      const systems = refs.get(requirement.ref) ?? new Set<string>();
      refs.set(requirement.ref, systems);
      systems.add(block.systemName);
    }
  }
  return [...byFramework.values()]
    .map(({ frameworkName, reasons }) => {
      const lines: Array<{ refs: string; reason: string; systems: string }> = [];
      for (const [reason, refs] of reasons) {
        // One line per reason and set of systems, so that "all systems" is never claimed for a subset.
        const bySystems = new Map<string, string[]>();
        for (const [ref, systems] of refs) {
          const key = systems.size === systemCount ? '' : [...systems].sort().join(', ');
          const list = bySystems.get(key) ?? [];
          list.push(ref);
          bySystems.set(key, list);
        }
        for (const [systems, list] of bySystems)
          lines.push({ refs: list.join(', '), reason, systems: systems || (systemCount > 1 ? 'all systems' : '') });
      }
      return { frameworkName, lines };
    })
    .filter((framework) => framework.lines.length > 0);
}

/** Tasks in the model's order (by due date), grouped where everything but the control is the same. */
function remediationGroups(tasks: PackModel['openRemediation']): PackView['remediationGroups'] {
  const groups = new Map<string, PackView['remediationGroups'][number] & { codes: string[] }>();
  for (const task of tasks) {
    // By the due day the table prints: due times within one day would otherwise split a group into rows that read
    // the same.
    const key = JSON.stringify([
      task.systemName,
      task.priority,
      task.status,
      task.assignee,
      task.dueDate?.slice(0, 10),
    ]);
    let group = groups.get(key);
    if (!group) {
      group = {
        systemName: task.systemName,
        priority: task.priority,
        status: task.status,
        assignee: task.assignee,
        dueDate: task.dueDate,
        overdue: task.overdue,
        controls: '',
        untied: [],
        codes: [],
      };
      groups.set(key, group);
    }
    if (task.controlCode) group.codes.push(task.controlCode);
    else group.untied.push(task.title);
  }
  return [...groups.values()].map(({ codes, ...group }) => ({ ...group, controls: codes.join(', ') }));
}

const EXCEPTION_LABELS: Record<string, string> = {
  test_failed: 'Failed tests',
  test_exception: 'Tests with exceptions',
  evidence_rejected: 'Rejected evidence',
  evidence_expired: 'Evidence that expired in the period',
  evidence_missing: 'Implemented controls without current evidence for part of the period',
  review_missed: 'Missed review cadence',
  remediation_overdue: 'Overdue remediation',
};

function groupExceptions(exceptions: PackModel['exceptions']): PackView['exceptionGroups'] {
  const groups = new Map<string, PackModel['exceptions']>();
  for (const exception of exceptions) {
    const group = groups.get(exception.kind);
    if (group) group.push(exception);
    else groups.set(exception.kind, [exception]);
  }
  return [...groups].map(([kind, rows]) => ({ label: EXCEPTION_LABELS[kind] ?? kind, rows }));
}

/** "2026-10-02 pass, sample 25 of 120, tester X: procedure; notes; evidence E004" */
function testLine(test: PackControlRow['tests'][number], cite: (evidenceId: string) => string): string {
  const sample =
    test.sampleSize !== null
      ? `, sample ${test.sampleSize}${test.populationSize !== null ? ` of ${test.populationSize}` : ''}`
      : '';
  const evidence = test.evidenceIds.length ? `; evidence ${test.evidenceIds.map(cite).join(' ')}` : '';
  return `${formatDate(test.testedAt)} ${test.result.toUpperCase()}${sample}, tester ${test.tester}: ${test.procedure}${test.notes ? `; ${test.notes}` : ''}${evidence}`;
}

const RULE_LEADS: Record<string, string> = {
  'sufficient-control': 'Covered',
  'no-sufficient-path': 'Partial, no sufficient path holds',
  'nothing-in-place': 'Gap, nothing implemented, in progress or evidenced',
};

/**
 * One line per requirement saying what decided its status: the deciding controls with relationship, strength,
 * sufficiency, status and evidence cited by pack reference. Statuses decided without controls (applicability, a
 * recorded decision) print the coverage reason as it is: it cites no evidence.
 */
export function decisionLine(requirement: PackRequirement, cite: (evidenceId: string) => string): string {
  const { decidedBy } = requirement;
  const lead =
    decidedBy.rule === 'jointly-sufficient-set'
      ? `Covered by the jointly-sufficient set ${decidedBy.jointSet?.controls.join(' + ')}`
      : RULE_LEADS[decidedBy.rule];
  if (!lead || decidedBy.controls.length === 0) return requirement.reason;
  const controls = decidedBy.controls.map(
    (c) =>
      `${c.code} ${c.relationship} ${c.strength}/10${c.sufficient ? ' sufficient' : ''}, ${c.status.replace(/_/g, ' ')}` +
      (c.evidence.length > 0 ? `, ${c.evidence.map(cite).join(' ')}` : ''),
  );
  const set =
    decidedBy.jointSet && decidedBy.jointSet.missing.length > 0
      ? `; set ${decidedBy.jointSet.controls.join(' + ')} lacks ${decidedBy.jointSet.missing.join(', ')}`
      : '';
  return `${lead}: ${controls.join('; ')}${set}`;
}

function threatFactsLine(facts: PackThreatModel['facts']): string {
  const yes = (flag: boolean, what: string) => (flag ? what : `not ${what}`);
  return `Facts: ${facts.modelKind.replace(/_/g, ' ')} model, ${yes(facts.internetFacing, 'internet-facing')}, ${yes(facts.usesRag, 'using retrieval (RAG)')}, ${yes(facts.agentTools, 'calling tools')}, ${facts.thirdParty ? 'third-party model' : 'own model'}.`;
}

/**
 * The relevance rules of a system's threats, each once with the threats it makes relevant: a rule's reason used to be
 * repeated under every threat it names (five pages of the demo pack for two systems).
 */
function threatRuleLines(threats: PackThreat[]): string[] {
  const rules = new Map<string, { reason: string; refs: string[] }>();
  for (const threat of threats)
    for (const rule of threat.rules) {
      const entry = rules.get(rule.id);
      if (entry) entry.refs.push(threat.ref);
      else rules.set(rule.id, { reason: rule.reason, refs: [threat.ref] });
    }
  return [...rules].map(([id, { reason, refs }]) => `${id} (${refs.join(', ')}): ${reason.replace(/\.$/, '')}.`);
}

/**
 * One text line each for a threat's rules (by id: their reasons are listed once per system), each mitigation with its
 * controls, and its red-team result. When no mitigating control is even in progress, the mitigations are named by id
 * only: the threat's reason already lists the mapped controls, and a line per control saying "not started" adds none.
 */
function threatLines(threat: PackThreat): { rulesLine: string; mitigationLines: string[]; redTeamLine: string } {
  const redTeam = threat.latestRedTeam;
  const nothingInPlace = threat.mitigations.every((m) => m.controls.every((c) => c.status === 'not_started'));
  return {
    rulesLine: `Relevant by ${threat.rules.map((r) => r.id).join(', ')}`,
    mitigationLines: nothingInPlace
      ? threat.mitigations.length
        ? [`Mitigations, none in place: ${threat.mitigations.map((m) => m.ref).join(', ')}`]
        : []
      : threat.mitigations.map(
          (m) =>
            `${m.ref} ${m.title}: ` +
            (m.controls.length
              ? m.controls
                  .map(
                    (c) =>
                      `${c.code} ${c.relationship} ${c.strength}/10${c.sufficient ? ' sufficient' : ''}, ${c.status.replace(/_/g, ' ')}`,
                  )
                  .join('; ')
              : 'no control of the library maps to it'),
        ),
    redTeamLine: redTeam
      ? `Latest red team: ${redTeam.title}, collected ${formatDateTime(redTeam.collectedAt)}, ${redTeam.outcome || 'no outcome'} (${redTeam.reviewStatus.replace(/_/g, ' ')})`
      : threat.framework === 'mitre-atlas'
        ? 'No red-team report names it.'
        : 'Red-team reports name ATLAS techniques; see the ATLAS entries.',
  };
}

/** Evidence grouped by system (first appearance order), then numbered E001, E002... across the groups. */
function evidenceWithRefs(evidence: PackEvidence[]): Array<{ systemName: string; rows: PackViewEvidence[] }> {
  const width = Math.max(3, String(evidence.length).length);
  let number = 0;
  return groupBySystem(evidence).map((group) => ({
    systemName: group.systemName,
    rows: group.rows.map((item) => ({ ...item, ref: `E${String(++number).padStart(width, '0')}` })),
  }));
}

function groupBySystem<T extends { systemName: string }>(rows: T[]): Array<{ systemName: string; rows: T[] }> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(row.systemName);
    if (group) group.push(row);
    else groups.set(row.systemName, [row]);
  }
  return [...groups].map(([systemName, grouped]) => ({ systemName, rows: grouped }));
}
