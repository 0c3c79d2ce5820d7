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
import { formatDateTime, loadPackTemplates, PackTemplates } from './pack-templates';

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
  controlMatrixBySystem: Array<{ systemName: string; rows: PackControlRow[] }>;
  evidenceBySystem: Array<{ systemName: string; rows: PackViewEvidence[] }>;
  /** Each threat's rules, mitigations and red-team result as one plain text line each (the section renders 100s). */
  threatCoverage: Array<
    Omit<PackThreatModel, 'threats'> & {
      factsLine: string;
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
  requirements: Array<Omit<PackRequirement, 'controls'> & { controls: PackViewMappedControl[]; why: string }>;
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
    return `Evidence pack ${model.packId} \u00b7 records as of ${formatDateTime(model.asOf)}`;
  }
}

export function toPackView(model: PackModel): PackView {
  const frameworkNames = new Map(model.scope.frameworks.map((framework) => [framework.key, framework.name]));
  const evidenceBySystem = evidenceWithRefs(model.evidenceIndex);
  const evidenceIndex = evidenceBySystem.flatMap((group) => group.rows);
  const refById = new Map(evidenceIndex.map((evidence) => [evidence.id, evidence.ref]));
  const citeEvidence = (id: string) => refById.get(id) ?? id.slice(0, 8);
  const coverage = model.coverage.map((block) => ({
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
  }));
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
    controlMatrixBySystem: groupBySystem(model.controlMatrix),
    evidenceBySystem,
    summary: {
      systems: model.scope.systems.length,
      frameworks: model.scope.frameworks.length,
      controls: new Set(model.controlMatrix.map((row) => row.code)).size,
      evidence: model.evidenceIndex.length,
      staleEvidence: model.evidenceIndex.filter((evidence) => !evidence.current).length,
      openRemediation: model.openRemediation.length,
      overdueRemediation: model.openRemediation.filter((task) => task.overdue).length,
    },
  };
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

/** One text line each for a threat's rules, each mitigation with its controls, and its red-team result. */
function threatLines(threat: PackThreat): { rulesLine: string; mitigationLines: string[]; redTeamLine: string } {
  const redTeam = threat.latestRedTeam;
  return {
    rulesLine: `Relevant by ${threat.rules.map((r) => `${r.id}: ${r.reason}`).join('; ')}`,
    mitigationLines: threat.mitigations.map(
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
