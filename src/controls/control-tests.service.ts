import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AiSystemsService } from '../ai-systems/ai-systems.service';
import { AuditLogService } from '../audit-log/audit-log.service';
import { CatalogIndex } from '../catalog/catalog-index';
import { Actor } from '../common/auth.decorators';
import { conflict, forbidden, invalid, notFound } from '../common/domain-errors';
import { CLOCK, Clock, iso } from '../common/time';
import { TransactionRunner } from '../database/transaction-runner';
import { EvidenceQueries } from '../evidence/evidence.queries';
import { UsersQueries } from '../users/users.queries';
import { ControlImplementationsRepository } from './control-implementations.repository';
import { ControlTestsRepository, ControlTestWithEvidence } from './control-tests.repository';
import { ControlTestListDto, ControlTestViewDto, CreateControlTestDto } from './dto/control-test.dto';
import { ControlImplementationEntity } from './entities/control-implementation.entity';
import { ControlTestEntity } from './entities/control-test.entity';

/**
 * Tests of a control on a system (DESIGN "Audits, packs and bundles (v2)"). Four-eyes: the control's named owner
 * cannot test it. A control that does not apply to the system (no implementation, or marked not applicable) takes
 * no tests.
 */
@Injectable()
export class ControlTestsService {
  constructor(
    private readonly systems: AiSystemsService,
    private readonly implementations: ControlImplementationsRepository,
    private readonly tests: ControlTestsRepository,
    private readonly evidence: EvidenceQueries,
    private readonly users: UsersQueries,
    private readonly index: CatalogIndex,
    private readonly tx: TransactionRunner,
    private readonly auditLog: AuditLogService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(actor: Actor, systemId: string, code: string): Promise<ControlTestListDto> {
    await this.systems.getEntity(actor, systemId);
    await this.assertKnownControl(code);
    const items = await this.views(await this.tests.findByControl(systemId, code));
    return { systemId, controlCode: code, total: items.length, items };
  }

  async create(actor: Actor, systemId: string, code: string, dto: CreateControlTestDto): Promise<ControlTestViewDto> {
    const system = await this.systems.getEntity(actor, systemId);
    if (system.archivedAt) throw conflict('This AI system is archived; restore it before recording control tests');
    await this.assertKnownControl(code);
    const implementation = await this.implementations.findOne(systemId, code);
    this.assertApplicable(implementation, code);
    if (implementation.ownerUserId === actor.id)
      throw forbidden(
        `You own control ${code} on this system, so you cannot test it (four-eyes): ask another specialist to test it`,
      );
    const now = this.clock.now();
    const testedAt = iso(new Date(dto.testedAt));
    if (testedAt > iso(now)) throw invalid('testedAt must not be in the future', { field: 'testedAt' });
    if (dto.sampleSize !== undefined && dto.populationSize !== undefined && dto.sampleSize > dto.populationSize)
      throw invalid(`sampleSize (${dto.sampleSize}) must not exceed populationSize (${dto.populationSize})`, {
        field: 'sampleSize',
      });
    const evidenceIds = await this.assertEvidence(systemId, code, dto.evidenceIds ?? []);
    const test = Object.assign(new ControlTestEntity(), {
      id: randomUUID(),
      implementationId: implementation.id,
      systemId,
      controlCode: code,
      testedAt,
      procedure: dto.procedure.trim(),
      populationSize: dto.populationSize ?? null,
      sampleSize: dto.sampleSize ?? null,
      result: dto.result,
      notes: dto.notes?.trim() ?? '',
      testerId: actor.id,
      recordedAt: iso(now),
    });
    await this.tx.run(async (tx) => {
      await this.tests.insert(tx, test, evidenceIds);
      await this.auditLog.append(tx, {
        actor: actor.email,
        action: 'control.test',
        entityType: 'control_implementation',
        entityId: implementation.id,
        payload: {
          testId: test.id,
          systemId,
          controlCode: code,
          testedAt,
          result: test.result,
          procedure: test.procedure,
          populationSize: test.populationSize,
          sampleSize: test.sampleSize,
          evidenceIds,
          notes: test.notes,
        },
      });
    });
    return (await this.views([Object.assign(test, { evidenceIds })]))[0];
  }

  /** See ControlTestsRepository.findBySystems: the test results of an audit period, for packs. */
  findBySystems(systemIds: string[], period: { from?: string; to?: string } = {}): Promise<ControlTestWithEvidence[]> {
    return this.tests.findBySystems(systemIds, period);
  }

  /** The views of tests with their testers' names, for the API and for packs. */
  async views(tests: ControlTestWithEvidence[]): Promise<ControlTestViewDto[]> {
    const testers = new Map(
      (await this.users.findByIds([...new Set(tests.map((t) => t.testerId))])).map((u) => [u.id, u]),
    );
    return tests.map((t) => ({
      id: t.id,
      systemId: t.systemId,
      controlCode: t.controlCode,
      testedAt: t.testedAt,
      procedure: t.procedure,
      populationSize: t.populationSize,
      sampleSize: t.sampleSize,
      result: t.result,
      tester: {
        id: t.testerId,
        name: testers.get(t.testerId)?.displayName ?? t.testerId,
        email: testers.get(t.testerId)?.email ?? '',
      },
      evidenceIds: t.evidenceIds,
      notes: t.notes,
      recordedAt: t.recordedAt,
      automatedFromEvidenceId: t.automatedFromEvidenceId ?? null,
    }));
  }

  private async assertKnownControl(code: string): Promise<void> {
    if (!(await this.index.get()).controlByCode.has(code)) throw notFound('Control', code);
  }

  private assertApplicable(
    implementation: ControlImplementationEntity | null,
    code: string,
  ): asserts implementation is ControlImplementationEntity {
    if (!implementation)
      throw invalid(`Control ${code} does not apply to this system (no applicable requirement maps to it)`, {
        field: 'controlCode',
      });
    if (implementation.status === 'not_applicable')
      throw invalid(`Control ${code} is marked not applicable to this system, so it cannot be tested`, {
        field: 'controlCode',
      });
  }

  /** Every linked evidence item must exist, belong to this system and be linked to this control. */
  private async assertEvidence(systemId: string, code: string, ids: string[]): Promise<string[]> {
    const unique = [...new Set(ids)].sort();
    if (unique.length === 0) return [];
    const ofControl = new Set(
      (await this.evidence.findBySystems([systemId])).filter((e) => e.controlCodes.includes(code)).map((e) => e.id),
    );
    const bad = unique.filter((id) => !ofControl.has(id));
    if (bad.length)
      throw invalid(`evidenceIds must be evidence of this system linked to control ${code}: ${bad.join(', ')}`, {
        field: 'evidenceIds',
        evidenceIds: bad,
      });
    return unique;
  }
}
