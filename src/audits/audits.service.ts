import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AiSystemsRepository } from '../ai-systems/ai-systems.repository';
import { AuditLogService } from '../audit-log/audit-log.service';
import { Actor } from '../common/auth.decorators';
import { invalid, notFound } from '../common/domain-errors';
import { assertSomethingToChange } from '../common/validation';
import { CLOCK, Clock, iso } from '../common/time';
import { TransactionRunner } from '../database/transaction-runner';
import { UsersRepository } from '../users/users.repository';
import { AccessScope } from './access-scope.service';
import { AuditsRepository } from './audits.repository';
import { CreateAuditDto, UpdateAuditDto } from './dto/audit.dto';
import { AuditEntity } from './entities/audit.entity';

@Injectable()
export class AuditsService {
  constructor(
    private readonly audits: AuditsRepository,
    private readonly systems: AiSystemsRepository,
    private readonly users: UsersRepository,
    private readonly scope: AccessScope,
    private readonly tx: TransactionRunner,
    private readonly auditLog: AuditLogService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(actor: Actor) {
    const audits = await this.audits.findAll(await this.scope.visibleAuditIds(actor));
    return { total: audits.length, items: await this.views(audits) };
  }

  async get(actor: Actor, id: string) {
    return (await this.views([await this.load(actor, id)]))[0];
  }

  async create(actor: Actor, dto: CreateAuditDto) {
    const periodStart = iso(new Date(dto.periodStart));
    const periodEnd = iso(new Date(dto.periodEnd));
    if (periodEnd <= periodStart) throw invalid('periodEnd must be after periodStart');
    const systemIds = await this.assertSystems(dto.systemIds);
    const auditorIds = await this.assertAuditors(dto.auditorIds);
    const audit = Object.assign(new AuditEntity(), {
      id: randomUUID(),
      name: dto.name.trim(),
      frameworks: [...new Set(dto.frameworks)].sort(),
      periodStart,
      periodEnd,
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
        payload: { name: audit.name, frameworks: audit.frameworks, periodStart, periodEnd, systemIds, auditorIds },
      });
    });
    return this.get(actor, audit.id);
  }

  async update(actor: Actor, id: string, dto: UpdateAuditDto) {
    assertSomethingToChange(dto);
    await this.load(actor, id);
    const systemIds = dto.systemIds ? await this.assertSystems(dto.systemIds) : undefined;
    const auditorIds = dto.auditorIds ? await this.assertAuditors(dto.auditorIds) : undefined;
    const name = dto.name?.trim();
    await this.tx.run(async (tx) => {
      if (name !== undefined) await this.audits.rename(tx, id, name);
      if (systemIds) await this.audits.replaceSystems(tx, id, systemIds);
      if (auditorIds) await this.audits.replaceAuditors(tx, id, auditorIds);
      await this.auditLog.append(tx, {
        actor: actor.email,
        action: 'audit.update',
        entityType: 'audit',
        entityId: id,
        payload: { name, systemIds, auditorIds },
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
    const bad = unique.filter((id) => found.get(id)?.role !== 'auditor' || found.get(id)!.disabled);
    if (bad.length) throw invalid(`These users are not active auditors: ${bad.join(', ')}`, { auditorIds: bad });
    return unique;
  }

  private async views(audits: AuditEntity[]) {
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
      frameworks: a.frameworks,
      periodStart: a.periodStart,
      periodEnd: a.periodEnd,
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
