import { forwardRef, Inject, Injectable } from '@nestjs/common';
import { ApplicabilityService, effectiveRiskTier } from '../ai-systems/applicability.service';
import { ObligationsService, SystemObligations } from '../ai-systems/obligations.service';
import { AiSystemsRepository } from '../ai-systems/ai-systems.repository';
import { AiSystemEntity } from '../ai-systems/entities/ai-system.entity';
import { AuditLogService } from '../audit-log/audit-log.service';
import { CatalogIndex } from '../catalog/catalog-index';
import { invalid, notFound } from '../common/domain-errors';
import { ControlImplementationsRepository } from '../controls/control-implementations.repository';
import { CoverageService } from '../controls/coverage.service';
import { EvidenceRepository, EvidenceWithControls } from '../evidence/evidence.repository';
import { evidenceState } from '../evidence/staleness';
import { IncidentsService } from '../incidents/incidents.service';
import { ThreatModel, ThreatModelService } from '../threats/threat-model.service';
import { UsersRepository } from '../users/users.repository';
import { PackSourcesRepository } from './pack-sources.repository';
import {
  PackControlRow,
  PackCoverage,
  PackEvidence,
  PackIncidents,
  PackModel,
  PackSystem,
  PackTask,
  PackThreatModel,
} from './pack-model';

/** What a pack covers: one system or one audit, some frameworks, as of one instant. */
export interface PackScopeRequest {
  packId: string;
  systemId: string | null;
  auditId: string | null;
  frameworks: string[];
  asOf: string;
  generatedAt: string;
  requestedBy: string;
}

/**
 * Builds a PackModel from the database as the records stood at `asOf`: coverage and evidence currency are evaluated
 * at that instant and evidence uploaded later is left out. Control implementation status has no history, so the
 * control matrix shows the status at generation time.
 */
@Injectable()
export class EvidencePackAssembler {
  constructor(
    private readonly index: CatalogIndex,
    private readonly systems: AiSystemsRepository,
    private readonly applicability: ApplicabilityService,
    private readonly coverage: CoverageService,
    private readonly implementations: ControlImplementationsRepository,
    private readonly evidence: EvidenceRepository,
    private readonly users: UsersRepository,
    private readonly sources: PackSourcesRepository,
    private readonly auditLog: AuditLogService,
    private readonly obligations: ObligationsService,
    private readonly threats: ThreatModelService,
    // forwardRef: the incidents module imports this one for the renderer.
    @Inject(forwardRef(() => IncidentsService)) private readonly incidents: IncidentsService,
  ) {}

  /** The frameworks a pack covers when the request names none: the audit's, or those that apply to the system. */
  async defaultFrameworks(scope: { systemId: string | null; auditId: string | null }): Promise<string[]> {
    if (scope.auditId) {
      const audit = await this.sources.findAuditScope(scope.auditId);
      if (!audit) throw notFound('Audit', scope.auditId);
      return audit.audit.frameworks;
    }
    const system = await this.systems.findById(scope.systemId!);
    if (!system) throw notFound('AI system', scope.systemId!);
    const result = await this.applicability.evaluate(system);
    return result.frameworks.filter((f) => f.applies).map((f) => f.framework);
  }

  async assertFrameworksKnown(frameworks: string[]): Promise<void> {
    const catalog = await this.index.get();
    const unknown = frameworks.filter((key) => !catalog.frameworkByKey.has(key));
    if (unknown.length)
      throw invalid(`Unknown framework(s): ${unknown.join(', ')}`, { known: [...catalog.frameworkByKey.keys()] });
  }

  async assemble(request: PackScopeRequest): Promise<PackModel> {
    const catalog = await this.index.get();
    const { audit, systems } = await this.scope(request);
    const frameworkKeys = new Set(request.frameworks);
    const at = request.asOf;
    const systemIds = systems.map((s) => s.id);
    const [evidence, implementations, tasks, chain] = await Promise.all([
      this.evidence.findBySystems(systemIds),
      this.implementations.findBySystems(systemIds),
      this.sources.findTasksOpenAt(systemIds, at),
      this.auditLog.verify(),
    ]);
    const systemById = new Map(systems.map((s) => [s.id, s]));
    const packSystems: PackSystem[] = [];
    const coverage: PackCoverage[] = [];
    const threatCoverage: PackThreatModel[] = [];
    for (const system of systems) {
      threatCoverage.push(toPackThreats(await this.threats.forSystem(system, at)));
      const applicability = await this.applicability.evaluate(system, catalog);
      const obligations = await this.obligations.forSystem(system, catalog, new Date(at));
      packSystems.push(
        toPackSystem(
          system,
          applicability.frameworks.filter((f) => frameworkKeys.has(f.framework)),
          obligations,
        ),
      );
      for (const framework of await this.coverage.forSystem(system, at)) {
        if (!frameworkKeys.has(framework.framework)) continue;
        coverage.push({
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
            controls: r.controls.map((c) => ({
              code: c.code,
              title: c.title,
              relationship: c.relationship,
              strength: c.strength,
              sufficient: c.sufficient,
              status: c.status,
              evidence: c.evidence.map((e) => ({ id: e.id, title: e.title, sha256: e.sha256, current: e.current })),
            })),
          })),
        });
      }
    }

    const controlFrameworks = (code: string) =>
      [
        ...new Set(
          (catalog.mappingsByControl.get(code) ?? [])
            .map((m) => m.frameworkKey)
            .filter((key) => frameworkKeys.has(key)),
        ),
      ].sort();
    const evidenceIndex = await this.evidenceIndex(
      evidence,
      systemById,
      at,
      (code) => controlFrameworks(code).length > 0,
    );
    const currentByControl = new Map<string, number>();
    for (const item of evidenceIndex) {
      if (!item.current) continue;
      for (const code of item.controls) {
        const key = `${item.systemId}|${code}`;
        currentByControl.set(key, (currentByControl.get(key) ?? 0) + 1);
      }
    }
    const controlMatrix: PackControlRow[] = implementations
      .filter((i) => controlFrameworks(i.controlCode).length > 0)
      .sort(
        (a, b) =>
          systemById.get(a.systemId)!.name.localeCompare(systemById.get(b.systemId)!.name) ||
          a.controlCode.localeCompare(b.controlCode),
      )
      .map((i) => ({
        systemName: systemById.get(i.systemId)!.name,
        code: i.controlCode,
        title: catalog.controlByCode.get(i.controlCode)?.title ?? i.controlCode,
        status: i.status,
        owner: i.owner,
        lastReviewedAt: i.lastReviewedAt,
        nextReviewDue: i.nextReviewDue,
        currentEvidence: currentByControl.get(`${i.systemId}|${i.controlCode}`) ?? 0,
        frameworks: controlFrameworks(i.controlCode),
      }));

    const userIds = [...tasks.map((t) => t.assigneeUserId), ...(audit?.auditorIds ?? []), request.requestedBy].filter(
      (id): id is string => !!id,
    );
    const emails = await this.emails(userIds);
    const openRemediation: PackTask[] = tasks
      .map((t) => ({
        id: t.id,
        systemName: systemById.get(t.systemId)!.name,
        controlCode: t.controlCode,
        kind: t.kind,
        title: t.title,
        status: t.statusAt,
        priority: t.priority,
        assignee: t.assigneeUserId ? (emails.get(t.assigneeUserId) ?? t.assigneeUserId) : null,
        dueDate: t.dueDate,
        overdue: t.dueDate !== null && t.dueDate < at,
      }))
      .sort((a, b) => (a.dueDate ?? '\uffff').localeCompare(b.dueDate ?? '\uffff') || a.id.localeCompare(b.id));

    return {
      packId: request.packId,
      generatedAt: request.generatedAt,
      asOf: at,
      title: audit ? `${audit.audit.name}: evidence pack` : `${systems[0].name}: evidence pack`,
      scope: {
        kind: audit ? 'audit' : 'system',
        audit: audit
          ? {
              id: audit.audit.id,
              name: audit.audit.name,
              periodStart: audit.audit.periodStart,
              periodEnd: audit.audit.periodEnd,
              auditors: audit.auditorIds.map((id) => emails.get(id) ?? id),
            }
          : undefined,
        systems: packSystems,
        frameworks: request.frameworks.map((key) => {
          const framework = catalog.frameworkByKey.get(key);
          return { key, name: framework?.name ?? key, version: framework?.version ?? '' };
        }),
      },
      coverage,
      controlMatrix,
      evidenceIndex: evidenceIndex.map(({ systemId: _systemId, ...item }) => item),
      openRemediation,
      threatCoverage,
      incidents: await this.incidentsOfPeriod(systemIds, audit?.audit ?? null, at),
      auditLog: {
        headSeq: chain.headSeq,
        headHash: chain.headHash,
        chainValid: chain.valid,
        entries: chain.entries,
        problem: chain.problem,
        checkedAt: chain.checkedAt,
      },
      requestedBy: emails.get(request.requestedBy) ?? request.requestedBy,
    };
  }

  private async scope(request: PackScopeRequest) {
    if (request.auditId) {
      const audit = await this.sources.findAuditScope(request.auditId);
      if (!audit) throw notFound('Audit', request.auditId);
      const systems = await this.systems.findByIds(audit.systemIds);
      if (systems.length === 0) throw invalid(`Audit ${request.auditId} covers no AI system`);
      return { audit, systems };
    }
    const system = await this.systems.findById(request.systemId!);
    if (!system) throw notFound('AI system', request.systemId!);
    return { audit: null, systems: [system] };
  }

  /**
   * Incidents whose awareness (or detection) falls in the audit period, or up to `at` for a system pack, recorded by
   * `at`. The period's dates are whole UTC days.
   */
  private async incidentsOfPeriod(
    systemIds: string[],
    audit: { periodStart: string; periodEnd: string } | null,
    at: string,
  ): Promise<PackIncidents> {
    const from = audit ? new Date(`${audit.periodStart.slice(0, 10)}T00:00:00.000Z`).toISOString() : null;
    const to = audit ? new Date(`${audit.periodEnd.slice(0, 10)}T23:59:59.999Z`).toISOString() : at;
    const records = await this.incidents.forPack(systemIds, { from, to }, at);
    return {
      from,
      to,
      timeZone: this.incidents.timeZone,
      items: records.map((r) => ({
        id: r.id,
        title: r.title,
        systems: r.systems.map((s) => s.name),
        severity: r.severity,
        categories: r.categories,
        status: r.status,
        detectedAt: r.detectedAt,
        becameAwareAt: r.becameAwareAt,
        obligations: r.obligations.map((o) => ({
          legalBasis: o.legalBasis,
          title: o.title,
          recipient: o.recipient,
          dueAt: o.dueAt,
          dueAtLocal: o.dueAtLocal,
          state: o.state,
          notifications: o.notifications.map((n) => ({
            sentAt: n.sentAt,
            recipient: n.recipient,
            channel: n.channel,
            late: n.late,
          })),
        })),
      })),
    };
  }

  /** Evidence uploaded at or before `at` for controls in scope, with its currency then and its reviewer's e-mail. */
  private async evidenceIndex(
    evidence: EvidenceWithControls[],
    systemById: Map<string, AiSystemEntity>,
    at: string,
    inScope: (code: string) => boolean,
  ): Promise<Array<PackEvidence & { systemId: string }>> {
    const existing = evidence.filter((e) => e.uploadedAt <= at && e.controlCodes.some(inScope));
    const reviewers = await this.emails(
      existing.filter((e) => e.reviewedBy && e.reviewedAt && e.reviewedAt <= at).map((e) => e.reviewedBy!),
    );
    return existing.map((e) => {
      const system = systemById.get(e.systemId)!;
      const state = evidenceState(e, system, at, e.supersededAt);
      const reviewed = e.reviewedBy && e.reviewedAt && e.reviewedAt <= at;
      return {
        id: e.id,
        systemId: e.systemId,
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
        reviewer: reviewed ? (reviewers.get(e.reviewedBy!) ?? e.reviewedBy) : null,
        current: state.current,
        staleReason: state.staleReason,
      };
    });
  }

  private async emails(ids: string[]): Promise<Map<string, string>> {
    const users = await this.users.findByIds([...new Set(ids)]);
    return new Map(users.map((u) => [u.id, u.email]));
  }
}

function toPackSystem(
  system: AiSystemEntity,
  frameworks: Array<{ framework: string; applies: boolean; rules: Array<{ reason: string }> }>,
  obligations: SystemObligations,
): PackSystem {
  return {
    id: system.id,
    name: system.name,
    purpose: system.purpose,
    owner: system.owner,
    lifecycleStage: system.lifecycleStage,
    modelKind: system.modelKind,
    modelVersion: system.modelVersion,
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

function toPackThreats(model: ThreatModel): PackThreatModel {
  return {
    systemName: model.systemName,
    facts: model.facts,
    summary: model.summary,
    threats: model.threats.map((t) => ({
      framework: t.framework,
      ref: t.ref,
      title: t.title,
      status: t.status,
      reason: t.reason,
      rules: t.rules,
      mitigations: t.mitigations.map((m) => ({
        ref: m.ref,
        title: m.title,
        controls: m.controls.map((c) => ({
          code: c.code,
          relationship: c.relationship,
          strength: c.strength,
          sufficient: c.sufficient,
          status: c.status,
        })),
      })),
      latestRedTeam: t.latestRedTeam
        ? {
            title: t.latestRedTeam.title,
            collectedAt: t.latestRedTeam.collectedAt,
            outcome: t.latestRedTeam.outcome,
            reviewStatus: t.latestRedTeam.reviewStatus,
          }
        : null,
    })),
  };
}
