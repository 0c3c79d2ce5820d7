import { Inject, Injectable } from '@nestjs/common';
import { AiSystemsService } from '../ai-systems/ai-systems.service';
import { AuditLogService } from '../audit-log/audit-log.service';
import { CatalogIndex } from '../catalog/catalog-index';
import { Actor } from '../common/auth.decorators';
import { conflict, invalid, notFound } from '../common/domain-errors';
import { assertSomethingToChange } from '../common/validation';
import { CLOCK, Clock, iso } from '../common/time';
import { TransactionRunner } from '../database/transaction-runner';
import { UsersQueries } from '../users/users.queries';
import { EvidenceQueries } from '../evidence/evidence.queries';
import { evidenceState } from '../evidence/staleness';
import { ControlImplementationsRepository } from './control-implementations.repository';
import { CoverageService } from './coverage.service';
import { UpdateControlImplementationDto } from './dto/control-implementation.dto';
import { ControlImplementationEntity } from './entities/control-implementation.entity';
import { implementationStatusMachine } from './implementation-status';
import { REVIEW_INTERVAL_DAYS } from '../catalog/review-frequency';

@Injectable()
export class ControlsService {
  constructor(
    private readonly systems: AiSystemsService,
    private readonly implementations: ControlImplementationsRepository,
    private readonly evidence: EvidenceQueries,
    private readonly coverage: CoverageService,
    private readonly index: CatalogIndex,
    private readonly users: UsersQueries,
    private readonly tx: TransactionRunner,
    private readonly auditLog: AuditLogService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async listForSystem(actor: Actor, systemId: string) {
    const system = await this.systems.getEntity(actor, systemId);
    const [catalog, implementations, evidence] = await Promise.all([
      this.index.get(),
      this.implementations.findBySystem(systemId),
      this.evidence.findBySystems([systemId]),
    ]);
    const now = iso(this.clock.now());
    const owners = await this.ownerNames(implementations);
    return implementations.map((implementation) => {
      const control = catalog.controlByCode.get(implementation.controlCode);
      const linked = evidence.filter((e) => e.controlCodes.includes(implementation.controlCode));
      const states = linked.map((e) => evidenceState(e, system, now, e.supersededAt));
      const frameworks = [
        ...new Set((catalog.mappingsByControl.get(implementation.controlCode) ?? []).map((m) => m.frameworkKey)),
      ];
      return {
        ...this.view(implementation, owners),
        title: control?.title ?? implementation.controlCode,
        domain: control?.domain ?? null,
        ownerRole: control?.ownerRole ?? null,
        typicalEvidence: control?.typicalEvidence ?? [],
        frameworks,
        evidenceCount: linked.length,
        currentEvidenceCount: states.filter((s) => s.current).length,
        staleEvidenceCount: states.filter((s) => s.stale).length,
        reviewOverdue: implementation.nextReviewDue !== null && implementation.nextReviewDue < now,
      };
    });
  }

  async update(actor: Actor, systemId: string, code: string, dto: UpdateControlImplementationDto) {
    const system = await this.systems.getEntity(actor, systemId);
    if (system.archivedAt) throw conflict('This AI system is archived; restore it before changing its controls');
    assertSomethingToChange(dto);
    // Read before the transaction and decided on, like every status change: if the status moves meanwhile (another
    // request, another instance), the compare-and-set below answers 409 instead of letting both changes win.
    const current = await this.implementations.findOne(systemId, code);
    if (!current) throw notFound('Control implementation', `${code} for system ${systemId}`);
    if (dto.ownerUserId) {
      const owner = await this.users.findById(dto.ownerUserId);
      if (!owner || owner.disabled)
        throw invalid(`ownerUserId ${dto.ownerUserId} is not an active user`, { field: 'ownerUserId' });
    }
    const saved = await this.tx.run(async (tx) => {
      const now = this.clock.now();
      const changes: Partial<ControlImplementationEntity> = { updatedAt: iso(now) };
      if (dto.status && dto.status !== current.status) {
        implementationStatusMachine.assertMove(current.status, dto.status);
        changes.status = dto.status;
      }
      const nextStatus = changes.status ?? current.status;
      if (nextStatus === 'not_applicable' && !(dto.justification ?? current.justification)) {
        throw invalid('Marking a control not applicable needs a justification');
      }
      if (dto.justification !== undefined) changes.justification = dto.justification.trim();
      if (changes.status && nextStatus !== 'not_applicable') changes.justification = dto.justification?.trim() ?? null;
      if (dto.statement !== undefined) changes.statement = dto.statement.trim();
      if (dto.owner !== undefined) changes.owner = dto.owner.trim();
      if (dto.ownerUserId !== undefined) changes.ownerUserId = dto.ownerUserId;
      if (dto.nextReviewDue !== undefined) changes.nextReviewDue = iso(new Date(dto.nextReviewDue));
      if (dto.reviewed || changes.status === 'implemented') {
        changes.lastReviewedAt = iso(now);
        if (dto.nextReviewDue === undefined) {
          const frequency = (await this.index.get()).controlByCode.get(code)?.reviewFrequency ?? 'annual';
          changes.nextReviewDue = iso(new Date(now.getTime() + REVIEW_INTERVAL_DAYS[frequency] * 86400000));
        }
      }
      await this.implementations.change(tx, current, nextStatus, changes, {
        actor: actor.email,
        at: iso(now),
        justification: changes.justification ?? current.justification,
      });
      await this.auditLog.append(tx, {
        actor: actor.email,
        action: changes.status ? 'control.transition' : 'control.update',
        entityType: 'control_implementation',
        entityId: current.id,
        payload: { systemId, controlCode: code, from: current.status, ...changes },
      });
      return { ...current, ...changes };
    });
    return this.view(saved, await this.ownerNames([saved]));
  }

  async coverageOf(actor: Actor, systemId: string, framework?: string) {
    const system = await this.systems.getEntity(actor, systemId);
    const frameworks = await this.coverage.forSystem(system);
    const selected = framework ? frameworks.filter((f) => f.framework === framework) : frameworks;
    if (framework && selected.length === 0) throw notFound('Framework', framework);
    return { systemId, at: iso(this.clock.now()), frameworks: selected };
  }

  /** Display names of the named owners, by user id. */
  private async ownerNames(implementations: ControlImplementationEntity[]): Promise<Map<string, string>> {
    const ids = [...new Set(implementations.map((i) => i.ownerUserId).filter((id) => id !== null))];
    return new Map((await this.users.findByIds(ids)).map((u) => [u.id, u.displayName]));
  }

  private view(i: ControlImplementationEntity, owners: Map<string, string>) {
    return {
      id: i.id,
      systemId: i.systemId,
      controlCode: i.controlCode,
      status: i.status,
      statement: i.statement,
      justification: i.justification,
      owner: i.owner,
      ownerUserId: i.ownerUserId,
      ownerName: i.ownerUserId ? (owners.get(i.ownerUserId) ?? null) : null,
      lastReviewedAt: i.lastReviewedAt,
      nextReviewDue: i.nextReviewDue,
      updatedAt: i.updatedAt,
      allowedTransitions: implementationStatusMachine.allowedFrom(i.status),
    };
  }
}
