import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AiSystemsQueries } from '../ai-systems/ai-systems.queries';
import { AuditLogService } from '../audit-log/audit-log.service';
import { Actor } from '../common/auth.decorators';
import { conflict, invalid, notFound } from '../common/domain-errors';
import { sha256Hex } from '../common/canonical-json';
import { assertSomethingToChange } from '../common/validation';
import { CLOCK, Clock, iso, periodBound } from '../common/time';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { TransactionRunner } from '../database/transaction-runner';
import { UsersQueries } from '../users/users.queries';
import { AccessScope } from '../access-scope/access-scope.service';
import { AuditsRepository } from './audits.repository';
import { AuditListDto, AuditViewDto, CreateAuditDto, UpdateAuditDto } from './dto/audit.dto';
import { AuditEntity } from './entities/audit.entity';

@Injectable()
export class AuditsService {
  constructor(
    private readonly audits: AuditsRepository,
    private readonly systems: AiSystemsQueries,
    private readonly users: UsersQueries,
    private readonly scope: AccessScope,
    private readonly tx: TransactionRunner,
    private readonly auditLog: AuditLogService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(actor: Actor): Promise<AuditListDto> {
    const audits = await this.audits.findAll(await this.scope.visibleAuditIds(actor));
    return { total: audits.length, items: await this.views(audits) };
  }

  async get(actor: Actor, id: string): Promise<AuditViewDto> {
    return (await this.views([await this.load(actor, id)]))[0];
  }

  /** The audit entity itself, scoped like get (for packs: type, period and assertion). */
  getEntity(actor: Actor, id: string): Promise<AuditEntity> {
    return this.load(actor, id);
  }

  async create(actor: Actor, dto: CreateAuditDto): Promise<AuditViewDto> {
    const periodStart = periodBound(dto.periodStart, 'start', this.config.timeZone);
    const periodEnd = periodBound(dto.periodEnd, 'end', this.config.timeZone);
    if (periodEnd <= periodStart) throw invalid('periodEnd must be after periodStart', { field: 'periodEnd' });
    const systemIds = await this.assertSystems(dto.systemIds);
    const auditorIds = await this.assertAuditors(dto.auditorIds);
    const audit = Object.assign(new AuditEntity(), {
      id: randomUUID(),
      name: dto.name.trim(),
      type: dto.type ?? 'point_in_time',
      frameworks: [...new Set(dto.frameworks)].sort(),
      periodStart,
      periodEnd,
      assertionText: null,
      assertionUpdatedBy: null,
      assertionUpdatedAt: null,
      assertionSignedBy: null,
      assertionSignedByName: null,
      assertionSignedAt: null,
      createdBy: actor.id,
      createdAt: iso(this.clock.now()),
    });
    await this.tx.run(async (tx) => {
      await this.audits.insert(tx, audit, systemIds, auditorIds);
      await this.auditLog.append(tx, {
        actor: actor.email,
        action: 'audit.create',
        entityType: 'audit',
        entityId: audit.id,
        payload: {
          name: audit.name,
          type: audit.type,
          frameworks: audit.frameworks,
          periodStart,
          periodEnd,
          systemIds,
          auditorIds,
        },
      });
    });
    return this.get(actor, audit.id);
  }

  /**
   * Renames, rescopes, changes type or period, or edits the management assertion. A new assertion text, type or
   * period clears the sign-off: what was signed no longer describes the audit.
   */
  async update(actor: Actor, id: string, dto: UpdateAuditDto): Promise<AuditViewDto> {
    assertSomethingToChange(dto);
    const audit = await this.load(actor, id);
    const period = {
      type: dto.type ?? audit.type,
      periodStart:
        dto.periodStart !== undefined ? periodBound(dto.periodStart, 'start', this.config.timeZone) : audit.periodStart,
      periodEnd:
        dto.periodEnd !== undefined ? periodBound(dto.periodEnd, 'end', this.config.timeZone) : audit.periodEnd,
    };
    if (period.periodEnd <= period.periodStart)
      throw invalid(
        `periodEnd (${period.periodEnd}) must be after periodStart (${period.periodStart})`,
        dto.periodEnd !== undefined ? { field: 'periodEnd' } : { field: 'periodStart' },
      );
    const periodChanged =
      period.type !== audit.type || period.periodStart !== audit.periodStart || period.periodEnd !== audit.periodEnd;
    const systemIds = dto.systemIds ? await this.assertSystems(dto.systemIds) : undefined;
    const auditorIds = dto.auditorIds ? await this.assertAuditors(dto.auditorIds) : undefined;
    const name = dto.name?.trim();
    const assertion = dto.assertion !== undefined && dto.assertion !== audit.assertionText ? dto.assertion : undefined;
    if (assertion !== undefined && assertion.trim() === '')
      throw invalid('assertion must not be blank', { field: 'assertion' });
    await this.tx.run(async (tx) => {
      const now = iso(this.clock.now());
      if (name !== undefined) await this.audits.rename(tx, id, name);
      if (periodChanged) await this.audits.setPeriod(tx, id, period);
      if (assertion !== undefined) await this.audits.setAssertion(tx, id, assertion, actor.id, now);
      if (systemIds) await this.audits.replaceSystems(tx, id, systemIds);
      if (auditorIds) await this.audits.replaceAuditors(tx, id, auditorIds);
      await this.auditLog.append(tx, {
        actor: actor.email,
        action: 'audit.update',
        entityType: 'audit',
        entityId: id,
        payload: {
          name,
          ...(periodChanged ? period : {}),
          ...(assertion !== undefined ? { assertionSha256: sha256Hex(assertion) } : {}),
          signOffCleared: audit.assertionSignedAt !== null && (periodChanged || assertion !== undefined),
          systemIds,
          auditorIds,
        },
      });
    });
    return this.get(actor, id);
  }

  /** Signs off the assertion as it stands, in the actor's name and at now. */
  async signOffAssertion(actor: Actor, id: string): Promise<AuditViewDto> {
    const audit = await this.load(actor, id);
    if (!audit.assertionText || !audit.assertionUpdatedAt)
      throw invalid('This audit has no management assertion to sign off; enter one first (PATCH assertion)', {
        field: 'assertion',
      });
    if (audit.assertionSignedAt)
      throw conflict(
        `The assertion was already signed off by ${audit.assertionSignedByName} on ${audit.assertionSignedAt}`,
      );
    const seen = audit.assertionUpdatedAt;
    await this.tx.run(async (tx) => {
      const signOff = { userId: actor.id, name: actor.displayName, at: iso(this.clock.now()) };
      await this.audits.signOffAssertion(tx, id, seen, signOff);
      await this.auditLog.append(tx, {
        actor: actor.email,
        action: 'audit.assertion-sign-off',
        entityType: 'audit',
        entityId: id,
        payload: { ...signOff, assertionSha256: sha256Hex(audit.assertionText!), assertionUpdatedAt: seen },
      });
    });
    return this.get(actor, id);
  }

  /** Auditors reach only the audits they are assigned to; others answer 404 like missing ones. */
  private async load(actor: Actor, id: string): Promise<AuditEntity> {
    const audit = await this.audits.findById(id);
    const visible = await this.scope.visibleAuditIds(actor);
    if (!audit || (visible && !visible.includes(id))) throw notFound('Audit', id);
    return audit;
  }

  private async assertSystems(ids: string[]): Promise<string[]> {
    const unique = [...new Set(ids)].sort();
    const found = new Map((await this.systems.findByIds(unique)).map((s) => [s.id, s]));
    const bad = unique.filter((id) => !found.get(id) || found.get(id)!.archivedAt !== null);
    if (bad.length) throw invalid(`These systems do not exist or are archived: ${bad.join(', ')}`, { systemIds: bad });
    return unique;
  }

  private async assertAuditors(ids: string[]): Promise<string[]> {
    const unique = [...new Set(ids)].sort();
    const found = new Map((await this.users.findByIds(unique)).map((u) => [u.id, u]));
    const bad = unique.filter((id) => {
      const user = found.get(id);
      return !user || user.disabled || !this.scope.isAssignableAuditor(user.role);
    });
    if (bad.length) throw invalid(`These users are not active auditors: ${bad.join(', ')}`, { auditorIds: bad });
    return unique;
  }

  private async views(audits: AuditEntity[]): Promise<AuditViewDto[]> {
    const members = await this.audits.findMembers(audits.map((a) => a.id));
    const allSystemIds = [...new Set([...members.systemIds.values()].flat())];
    const allUserIds = [...new Set([...members.auditorIds.values()].flat())];
    const [systems, users] = await Promise.all([
      this.systems.findByIds(allSystemIds),
      this.users.findByIds(allUserIds),
    ]);
    const systemById = new Map(systems.map((s) => [s.id, s]));
    const userById = new Map(users.map((u) => [u.id, u]));
    return audits.map((a) => ({
      id: a.id,
      name: a.name,
      type: a.type,
      frameworks: a.frameworks,
      periodStart: a.periodStart,
      periodEnd: a.periodEnd,
      assertion:
        a.assertionText !== null && a.assertionUpdatedBy !== null && a.assertionUpdatedAt !== null
          ? {
              text: a.assertionText,
              updatedBy: a.assertionUpdatedBy,
              updatedAt: a.assertionUpdatedAt,
              signedOff:
                a.assertionSignedBy && a.assertionSignedByName && a.assertionSignedAt
                  ? { userId: a.assertionSignedBy, name: a.assertionSignedByName, at: a.assertionSignedAt }
                  : null,
            }
          : null,
      systems: (members.systemIds.get(a.id) ?? [])
        .map((id) => systemById.get(id))
        .filter((s) => s !== undefined)
        .map((s) => ({ id: s.id, name: s.name }))
        .sort((x, y) => x.name.localeCompare(y.name)),
      auditors: (members.auditorIds.get(a.id) ?? [])
        .map((id) => userById.get(id))
        .filter((u) => u !== undefined)
        .map((u) => ({ id: u.id, email: u.email }))
        .sort((x, y) => x.email.localeCompare(y.email)),
      createdBy: a.createdBy,
      createdAt: a.createdAt,
    }));
  }
}
