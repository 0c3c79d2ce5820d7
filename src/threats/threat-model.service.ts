import { Injectable } from '@nestjs/common';
import { factsOf } from '../ai-systems/applicability.service';
import { AiSystemsQueries } from '../ai-systems/ai-systems.queries';
import { AiSystemEntity } from '../ai-systems/entities/ai-system.entity';
import { AccessScope } from '../access-scope/access-scope.service';
import { explain } from '../catalog/applicability-rules';
import { CatalogIndex, CatalogSnapshot } from '../catalog/catalog-index';
import { RequirementEntity } from '../catalog/entities/catalog.entities';
import { isSufficientMapping } from '../catalog/library-coverage';
import { PolicyLoader } from '../catalog/policy-loader.service';
import { ThreatRef } from '../catalog/threat-rules';
import { Actor } from '../common/auth.decorators';
import { notFound } from '../common/domain-errors';
import { ControlImplementationsQueries } from '../controls/control-implementations.queries';
import type { CoverageControl } from '../controls/coverage';
import { EvidenceQueries } from '../evidence/evidence.queries';

export type ThreatStatus = 'mitigated' | 'partial' | 'gap';

/** A control mapped to a mitigation or risk, as coverage reports it, without the evidence (the threat model shows red-team results instead). */
export type ThreatControl = Omit<CoverageControl, 'evidence'>;

export interface ThreatMitigation {
  framework: string;
  ref: string;
  title: string;
  controls: ThreatControl[];
}

export interface RedTeamResult {
  evidenceId: string;
  title: string;
  collectedAt: string;
  outcome: string;
  reviewStatus: string;
}

export interface ThreatEntry {
  framework: string;
  ref: string;
  title: string;
  /** ATLAS: technique or sub-technique; OWASP: risk. */
  level: string;
  tactics: string[];
  rules: Array<{ id: string; reason: string }>;
  /** ATLAS: the mitigations the catalog lists for the technique; OWASP: the risk itself, which controls map. */
  mitigations: ThreatMitigation[];
  status: ThreatStatus;
  /** Why the status is what it is: the implemented controls, or that none is. */
  reason: string;
  latestRedTeam: RedTeamResult | null;
}

export interface ThreatModel {
  systemId: string;
  systemName: string;
  facts: { modelKind: string; internetFacing: boolean; usesRag: boolean; agentTools: boolean; thirdParty: boolean };
  threats: ThreatEntry[];
  summary: { relevant: number; mitigated: number; partial: number; gap: number };
}

const ATLAS = 'mitre-atlas';
const IN_PROGRESS = new Set(['in_progress']);

/** Per catalog snapshot: the ATLAS mitigations of each technique (a sub-technique also gets its parent's). */
const mitigationsBySnapshot = new WeakMap<CatalogSnapshot, Map<string, RequirementEntity[]>>();

function mitigationsOf(catalog: CatalogSnapshot): Map<string, RequirementEntity[]> {
  let byTechnique = mitigationsBySnapshot.get(catalog);
  if (byTechnique) return byTechnique;
  byTechnique = new Map();
  for (const r of catalog.requirements) {
    if (r.frameworkKey !== ATLAS || r.level !== 'mitigation' || r.retiredAt) continue;
    for (const technique of (r.attributes.mitigates ?? '').split(';').filter(Boolean)) {
      if (!byTechnique.has(technique)) byTechnique.set(technique, []);
      byTechnique.get(technique)!.push(r);
    }
  }
  mitigationsBySnapshot.set(catalog, byTechnique);
  return byTechnique;
}

/**
 * A system's threat model: the ATLAS techniques and OWASP LLM risks that policies/threats.yaml makes relevant to its
 * facts, each with its mitigations, the controls that implement them and their status for this system, and the
 * latest red-team report naming the technique. A threat is mitigated when a control with a sufficient mapping to
 * one of its mitigations is implemented, partial when some mapped control is implemented or in progress, a gap
 * otherwise.
 */
@Injectable()
export class ThreatModelService {
  constructor(
    private readonly systems: AiSystemsQueries,
    private readonly scope: AccessScope,
    private readonly index: CatalogIndex,
    private readonly policies: PolicyLoader,
    private readonly implementations: ControlImplementationsQueries,
    private readonly evidence: EvidenceQueries,
  ) {}

  async forActor(actor: Actor, systemId: string): Promise<ThreatModel> {
    const system = await this.systems.findById(systemId);
    if (!system) throw notFound('AI system', systemId);
    await this.scope.assertSystemVisible(actor, systemId);
    return this.forSystem(system);
  }

  /**
   * With `asOf` (an evidence pack), the red-team reports are those uploaded by then and not yet superseded or
   * rejected then; the system's facts and control status have no history and are read as they are now.
   */
  async forSystem(system: AiSystemEntity, asOf?: string): Promise<ThreatModel> {
    const catalog = await this.index.get();
    const facts = factsOf(system);
    const relevant = new Map<string, { threat: ThreatRef; rules: Array<{ id: string; reason: string }> }>();
    for (const rule of this.policies.policies.threats.rules) {
      if (!explain(rule.when, facts).holds) continue;
      for (const threat of rule.threats) {
        const key = `${threat.framework}|${threat.ref}`;
        if (!relevant.has(key)) relevant.set(key, { threat, rules: [] });
        relevant.get(key)!.rules.push({ id: rule.id, reason: rule.reason });
      }
    }
    const status = new Map(
      (await this.implementations.findBySystem(system.id)).map((i) => [i.controlCode, i.status as string]),
    );
    const redTeam = (await this.evidence.findBySystems([system.id]))
      .filter((e) => e.kind === 'red_team_report')
      .filter((e) =>
        asOf === undefined
          ? !e.supersededById && e.reviewStatus !== 'rejected'
          : e.uploadedAt <= asOf &&
            !(e.supersededAt && e.supersededAt <= asOf) &&
            !(e.reviewStatus === 'rejected' && e.reviewedAt && e.reviewedAt <= asOf),
      )
      .sort((a, b) => b.collectedAt.localeCompare(a.collectedAt));
    const byRef = new Map(
      catalog.requirements.filter((r) => !r.retiredAt).map((r) => [`${r.frameworkKey}|${r.ref}`, r]),
    );
    const threats: ThreatEntry[] = [];
    for (const { threat, rules } of relevant.values()) {
      const requirement = byRef.get(`${threat.framework}|${threat.ref}`);
      if (!requirement) continue;
      const parentRef = threat.framework === ATLAS && requirement.parentRef ? requirement.parentRef : null;
      const mitigationRows =
        threat.framework === ATLAS
          ? [
              ...new Set([
                ...(mitigationsOf(catalog).get(threat.ref) ?? []),
                ...(parentRef ? (mitigationsOf(catalog).get(parentRef) ?? []) : []),
              ]),
            ]
          : [requirement];
      const mitigations = mitigationRows.map((m) => this.mitigation(m, catalog, status));
      const controls = mitigations.flatMap((m) => m.controls);
      const implemented = controls.filter((c) => c.status === 'implemented');
      const covering = implemented.filter((c) => c.sufficient);
      const started = controls.filter((c) => c.status === 'implemented' || IN_PROGRESS.has(c.status));
      const state: ThreatStatus = covering.length > 0 ? 'mitigated' : started.length > 0 ? 'partial' : 'gap';
      const codes = (list: ThreatControl[]) => [...new Set(list.map((c) => c.code))].join(', ');
      const reason =
        state === 'mitigated'
          ? `Implemented with a sufficient mapping: ${codes(covering)}.`
          : state === 'partial'
            ? `Mapped controls implemented or in progress without a sufficient mapping being implemented: ${codes(started)}.`
            : controls.length === 0
              ? 'No control of the library implements a mitigation of this threat.'
              : `No mitigating control is implemented yet (mapped: ${codes(controls)}).`;
      const report =
        threat.framework === ATLAS
          ? redTeam.find((e) => (e.atlasTechniqueIds ?? []).some((id) => id === threat.ref || id === parentRef))
          : undefined;
      threats.push({
        framework: threat.framework,
        ref: threat.ref,
        title: requirement.title,
        level: requirement.level,
        tactics: (
          requirement.attributes.tactics ??
          (parentRef ? byRef.get(`${ATLAS}|${parentRef}`)?.attributes.tactics : '') ??
          ''
        )
          .split(';')
          .filter(Boolean),
        rules,
        mitigations,
        status: state,
        reason,
        latestRedTeam: report
          ? {
              evidenceId: report.id,
              title: report.title,
              collectedAt: report.collectedAt,
              outcome: report.redTeamOutcome ?? '',
              reviewStatus: report.reviewStatus,
            }
          : null,
      });
    }
    threats.sort(
      (a, b) => a.framework.localeCompare(b.framework) || a.ref.localeCompare(b.ref, 'en', { numeric: true }),
    );
    const count = (s: ThreatStatus) => threats.filter((t) => t.status === s).length;
    return {
      systemId: system.id,
      systemName: system.name,
      facts: {
        modelKind: system.modelKind,
        internetFacing: facts.internetFacing,
        usesRag: facts.usesRag,
        agentTools: facts.agentTools,
        thirdParty: facts.thirdParty,
      },
      threats,
      summary: {
        relevant: threats.length,
        mitigated: count('mitigated'),
        partial: count('partial'),
        gap: count('gap'),
      },
    };
  }

  private mitigation(
    requirement: RequirementEntity,
    catalog: CatalogSnapshot,
    status: Map<string, string>,
  ): ThreatMitigation {
    const controls = (catalog.mappingsByRequirement.get(requirement.id) ?? [])
      .map((m) => ({
        code: m.controlCode,
        title: catalog.controlByCode.get(m.controlCode)?.title ?? m.controlCode,
        relationship: m.relationship,
        strength: m.strength,
        sufficient: isSufficientMapping(m, catalog.coverage.threshold),
        status: status.get(m.controlCode) ?? 'not_started',
      }))
      .sort(
        (a, b) =>
          Number(b.sufficient) - Number(a.sufficient) || b.strength - a.strength || a.code.localeCompare(b.code),
      );
    return { framework: requirement.frameworkKey, ref: requirement.ref, title: requirement.title, controls };
  }
}
