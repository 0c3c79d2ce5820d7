import { Injectable } from '@nestjs/common';
import { ApplicabilityService } from '../ai-systems/applicability.service';
import { ObligationsService } from '../controls/obligations.service';
import { AiSystemsQueries } from '../ai-systems/ai-systems.queries';
import { AiSystemEntity } from '../ai-systems/entities/ai-system.entity';
import { AuditCheckpointService } from '../audit-log/audit-checkpoint.service';
import { CatalogIndex } from '../catalog/catalog-index';
import { invalid, notFound } from '../common/domain-errors';
import { ControlImplementationsQueries } from '../controls/control-implementations.queries';
import { ControlTestsService } from '../controls/control-tests.service';
import { CoverageService } from '../controls/coverage.service';
import { IncidentsService } from '../incidents/incidents.service';
import { ThreatModel, ThreatModelService } from '../threats/threat-model.service';
import { UsersQueries } from '../users/users.queries';
import { AuditScopeRecord, PackSourcesRepository } from './pack-sources.repository';
import {
  controlMatrix,
  coverageSection,
  evidenceRegister,
  PackContext,
  remediationSection,
  sortExceptions,
  SystemPackInputs,
  systemDescription,
  systemExceptions,
} from './pack-sections';
import { PackAudit, PackIncidents, PackModel, PackSystem, PackThreatModel } from './pack-model';
import { SigningKeyService } from '../signing/signing-key.service';

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
 * Builds a PackModel from the database as the records stood at `asOf`: loads each system's coverage inputs once and
 * hands them to the section builders of pack-sections.ts. Coverage and evidence currency are evaluated at that
 * instant and evidence uploaded later is left out.
 */
@Injectable()
export class EvidencePackAssembler {
  constructor(
    private readonly index: CatalogIndex,
    private readonly systems: AiSystemsQueries,
    private readonly applicability: ApplicabilityService,
    private readonly coverage: CoverageService,
    private readonly implementations: ControlImplementationsQueries,
    private readonly tests: ControlTestsService,
    private readonly users: UsersQueries,
    private readonly sources: PackSourcesRepository,
    private readonly checkpoints: AuditCheckpointService,
    private readonly obligations: ObligationsService,
    private readonly threats: ThreatModelService,
    private readonly incidents: IncidentsService,
    private readonly signingKeys: SigningKeyService,
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

  /** The instant a pack looks at when the request names none: the audit's period end once it has passed, else now. */
  async defaultAsOf(scope: { auditId: string | null }, now: Date): Promise<Date> {
    if (!scope.auditId) return now;
    const audit = await this.sources.findAuditScope(scope.auditId);
    if (!audit) throw notFound('Audit', scope.auditId);
    const end = new Date(audit.audit.periodEnd);
    return end.getTime() < now.getTime() ? end : now;
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
    const at = request.asOf;
    const period = audit ? { start: audit.audit.periodStart, end: audit.audit.periodEnd } : null;
    const systemIds = systems.map((s) => s.id);
    const frameworkSet = new Set(request.frameworks);
    // What needs only the scope starts at once, beside the reads below (its awaits interleave with theirs).
    const systemSections = Promise.all(systems.map((system) => this.systemSection(system, catalog, frameworkSet, at)));
    const threatCoverage = Promise.all(
      systems.map(async (system) => toPackThreats(await this.threats.forSystem(system, at))),
    );
    const incidents = this.incidentsOfPeriod(systemIds, audit?.audit ?? null, at);
    // Awaited below; handled now, so that one failing while another is awaited is not an unhandled rejection.
    for (const pending of [systemSections, threatCoverage, incidents]) pending.catch(() => undefined);
    const [inputs, tasks, chain, signingKey] = await Promise.all([
      this.loadInputs(systems, at, period),
      this.sources.findTasksOpenAt(systemIds, at),
      // Incremental: from the last signed checkpoint to the head, then a checkpoint of the head (issue 18.1).
      this.checkpoints.verifyAndCheckpoint(),
      this.signingKeys.currentFingerprint().then((fingerprint) => ({ algorithm: 'Ed25519', fingerprint })),
    ]);
    const people = await this.people([
      ...tasks.map((t) => t.assigneeUserId),
      ...(audit?.auditorIds ?? []),
      request.requestedBy,
      ...inputs.flatMap((i) => i.coverage.evidence.map((e) => e.reviewedBy)),
      ...inputs.flatMap((i) => i.coverage.implementations.map((impl) => impl.ownerUserId)),
      audit?.audit.assertionSignedBy ?? null,
      ...inputs.flatMap((i) => i.tests.map((t) => t.testerId)),
    ]);
    const context: PackContext = { catalog, frameworks: frameworkSet, at, period, people };

    const coverage = inputs.flatMap((i) => coverageSection(i, context));
    const controlRows = inputs.map((i) => controlMatrix(i, context));
    const evidenceIndex = inputs.flatMap((i) => evidenceRegister(i, context));
    const remediation = remediationSection(tasks, new Map(systems.map((s) => [s.id, s.name])), context);
    const exceptions = sortExceptions([
      ...inputs.flatMap((i, n) => systemExceptions(i, controlRows[n], context)),
      ...remediation.overdue,
    ]);

    return {
      packId: request.packId,
      generatedAt: request.generatedAt,
      asOf: at,
      interim: period !== null && request.generatedAt < period.end,
      title: audit ? `${audit.audit.name}: evidence pack` : `${systems[0].name}: evidence pack`,
      signingKey,
      scope: {
        kind: audit ? 'audit' : 'system',
        audit: audit ? this.auditSection(audit, people) : undefined,
        systems: await systemSections,
        frameworks: request.frameworks.map((key) => {
          const framework = catalog.frameworkByKey.get(key);
          return { key, name: framework?.name ?? key, version: framework?.version ?? '' };
        }),
      },
      coverage,
      controlMatrix: controlRows.flat(),
      evidenceIndex: evidenceIndex.map(({ systemId: _systemId, ...item }) => item),
      exceptions,
      openRemediation: remediation.openRemediation,
      otherOpenTasks: remediation.otherOpenTasks,
      threatCoverage: await threatCoverage,
      incidents: await incidents,
      auditLog: {
        headSeq: chain.headSeq,
        headHash: chain.headHash,
        chainValid: chain.valid,
        entries: chain.entries,
        problem: chain.problem,
        checkedAt: chain.checkedAt,
      },
      requestedBy: people.get(request.requestedBy) ?? request.requestedBy,
    };
  }

  /**
   * What the sections read for every system in scope, loaded once: the coverage inputs as of `at` (status from the
   * history), since when each control has had that status, and the control tests of the period up to `at`.
   */
  private async loadInputs(
    systems: AiSystemEntity[],
    at: string,
    period: { start: string; end: string } | null,
  ): Promise<SystemPackInputs[]> {
    const ids = systems.map((s) => s.id);
    const [coverage, changes, tests] = await Promise.all([
      this.coverage.inputsAsOf(systems, at),
      this.implementations.findStatusChanges(ids, at),
      this.tests.findBySystems(ids, { from: period?.start, to: at }),
    ]);
    return systems.map((system) => {
      const statusSince = new Map<string, string>();
      // Oldest first: the last change of each control up to `at` is when it took the status it had then.
      for (const change of changes)
        if (change.systemId === system.id) statusSince.set(change.controlCode, change.changedAt);
      return {
        system,
        coverage: coverage.get(system.id)!,
        statusSince,
        tests: tests
          .filter((test) => test.systemId === system.id)
          .map((test) => ({
            controlCode: test.controlCode,
            testedAt: test.testedAt,
            procedure: test.procedure,
            populationSize: test.populationSize,
            sampleSize: test.sampleSize,
            result: test.result,
            testerId: test.testerId,
            notes: test.notes,
            evidenceIds: test.evidenceIds,
          })),
      };
    });
  }

  private auditSection(audit: AuditScopeRecord, people: ReadonlyMap<string, string>): PackAudit {
    const record = audit.audit;
    return {
      id: record.id,
      name: record.name,
      type: record.type,
      periodStart: record.periodStart,
      periodEnd: record.periodEnd,
      auditors: audit.auditorIds.map((id) => people.get(id) ?? id),
      assertion: record.assertionText
        ? {
            text: record.assertionText,
            // The name as it was at sign-off, with the signer's current address beside it when known.
            signedBy: record.assertionSignedBy
              ? (record.assertionSignedByName ?? people.get(record.assertionSignedBy) ?? record.assertionSignedBy)
              : null,
            signedAt: record.assertionSignedAt,
          }
        : null,
    };
  }

  private async systemSection(
    system: AiSystemEntity,
    catalog: PackContext['catalog'],
    frameworks: ReadonlySet<string>,
    at: string,
  ): Promise<PackSystem> {
    const applicability = await this.applicability.evaluate(system, catalog);
    const obligations = await this.obligations.forSystem(system, catalog, new Date(at));
    return systemDescription(
      system,
      applicability.frameworks.filter((f) => frameworks.has(f.framework)),
      obligations,
    );
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

  /** "Display Name <email>" of each user, by id. */
  private async people(ids: Array<string | null>): Promise<Map<string, string>> {
    const users = await this.users.findByIds([...new Set(ids.filter((id): id is string => !!id))]);
    return new Map(users.map((u) => [u.id, `${u.displayName} <${u.email}>`]));
  }
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
