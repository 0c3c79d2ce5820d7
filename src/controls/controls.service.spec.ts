import { Test } from '@nestjs/testing';
import {
  actor,
  catalogSnapshot,
  FakeTransactionRunner,
  FixedCatalogIndex,
  FixedClock,
  RecordingAuditLog,
} from '../../test/factories/service-doubles';
import { AiSystemsService } from '../ai-systems/ai-systems.service';
import { AiSystemEntity } from '../ai-systems/entities/ai-system.entity';
import { AuditLogService } from '../audit-log/audit-log.service';
import { CatalogIndex } from '../catalog/catalog-index';
import { ControlEntity } from '../catalog/entities/catalog.entities';
import { Actor } from '../common/auth.decorators';
import { conflict, notFound } from '../common/domain-errors';
import { CLOCK } from '../common/time';
import { TransactionRunner } from '../database/transaction-runner';
import { EvidenceEntity } from '../evidence/entities/evidence.entity';
import { EvidenceWithControls } from '../evidence/evidence.repository';
import { EvidenceQueries } from '../evidence/evidence.queries';
import { UserEntity } from '../users/entities/user.entity';
import { UsersQueries } from '../users/users.queries';
import { ControlImplementationsRepository } from './control-implementations.repository';
import { ControlsService } from './controls.service';
import { CoverageService } from './coverage.service';
import { FrameworkCoverage } from './coverage';
import { ControlImplementationEntity, ImplementationStatus } from './entities/control-implementation.entity';
import { implementationStatusMachine } from './implementation-status';

const NOW = new Date('2026-06-01T12:00:00.000Z');
const DAY = 86400000;

/** Implementations in memory; change() behaves as the repository primitive (declared move, compare-and-set, history). */
class MemoryImplementations implements Pick<ControlImplementationsRepository, 'findBySystem' | 'findOne' | 'change'> {
  readonly rows: ControlImplementationEntity[] = [];
  readonly history: Array<{ id: string; from: ImplementationStatus; to: ImplementationStatus }> = [];

  findBySystem(systemId: string) {
    return Promise.resolve(this.rows.filter((r) => r.systemId === systemId).map((r) => ({ ...r })));
  }

  findOne(systemId: string, controlCode: string) {
    const row = this.rows.find((r) => r.systemId === systemId && r.controlCode === controlCode);
    return Promise.resolve(row ? { ...row } : null);
  }

  change(
    _tx: unknown,
    implementation: ControlImplementationEntity,
    to: ImplementationStatus,
    changes: Partial<ControlImplementationEntity>,
  ) {
    const row = this.rows.find((r) => r.id === implementation.id);
    const from = implementation.status;
    if (to !== from) implementationStatusMachine.assertMove(from, to);
    if (!row || row.status !== from) return Promise.reject(conflict('The control implementation changed meanwhile'));
    Object.assign(row, changes, { status: to });
    if (to !== from) this.history.push({ id: row.id, from, to });
    return Promise.resolve();
  }
}

class MemorySystemsService implements Pick<AiSystemsService, 'getEntity'> {
  readonly rows = new Map<string, AiSystemEntity>();
  getEntity(_actor: Actor, id: string) {
    const system = this.rows.get(id);
    return system ? Promise.resolve(system) : Promise.reject(notFound('AI system', id));
  }
}

class MemoryEvidence implements Pick<EvidenceQueries, 'findBySystems'> {
  readonly rows: EvidenceWithControls[] = [];
  findBySystems(systemIds: string[]) {
    return Promise.resolve(this.rows.filter((e) => systemIds.includes(e.systemId)));
  }
}

class MemoryUsers implements Pick<UsersQueries, 'findById' | 'findByIds'> {
  readonly rows = new Map<string, UserEntity>();
  findById(id: string) {
    return Promise.resolve(this.rows.get(id) ?? null);
  }
  findByIds(ids: string[]) {
    return Promise.resolve(ids.flatMap((id) => this.rows.get(id) ?? []));
  }
}

class FixedCoverage implements Pick<CoverageService, 'forSystem'> {
  frameworks: FrameworkCoverage[] = [];
  forSystem() {
    return Promise.resolve(this.frameworks);
  }
}

describe('ControlsService rules', () => {
  const specialist = actor('governance_specialist', 'gs-1');
  let service: ControlsService;
  let implementations: MemoryImplementations;
  let systems: MemorySystemsService;
  let evidence: MemoryEvidence;
  let users: MemoryUsers;
  let coverage: FixedCoverage;
  let runner: FakeTransactionRunner;
  let audit: RecordingAuditLog;

  beforeEach(async () => {
    implementations = new MemoryImplementations();
    systems = new MemorySystemsService();
    evidence = new MemoryEvidence();
    users = new MemoryUsers();
    coverage = new FixedCoverage();
    runner = new FakeTransactionRunner();
    audit = new RecordingAuditLog(runner);
    const control = (code: string, reviewFrequency: string) =>
      Object.assign(new ControlEntity(), { code, title: `Control ${code}`, reviewFrequency, typicalEvidence: [] });
    const index = new FixedCatalogIndex(
      catalogSnapshot({
        controlByCode: new Map([
          ['AIG-GOV-01', control('AIG-GOV-01', 'quarterly')],
          ['AIG-SEC-01', control('AIG-SEC-01', 'monthly')],
        ]),
      }),
    );
    const moduleRef = await Test.createTestingModule({
      providers: [
        ControlsService,
        { provide: AiSystemsService, useValue: systems },
        { provide: ControlImplementationsRepository, useValue: implementations },
        { provide: EvidenceQueries, useValue: evidence },
        { provide: CoverageService, useValue: coverage },
        { provide: CatalogIndex, useValue: index },
        { provide: UsersQueries, useValue: users },
        { provide: TransactionRunner, useValue: runner },
        { provide: AuditLogService, useValue: audit },
        { provide: CLOCK, useValue: new FixedClock(NOW) },
      ],
    }).compile();
    service = moduleRef.get(ControlsService);
    systems.rows.set(
      'sys-1',
      Object.assign(new AiSystemEntity(), {
        id: 'sys-1',
        archivedAt: null,
        modelVersion: 'v2',
        modelVersionChangedAt: null,
      }),
    );
    systems.rows.set('sys-old', Object.assign(new AiSystemEntity(), { id: 'sys-old', archivedAt: NOW.toISOString() }));
    users.rows.set('u-1', Object.assign(new UserEntity(), { id: 'u-1', displayName: 'Una', disabled: false }));
    users.rows.set('u-off', Object.assign(new UserEntity(), { id: 'u-off', displayName: 'Off', disabled: true }));
  });

  function seed(code: string, over: Partial<ControlImplementationEntity> = {}): ControlImplementationEntity {
    const row = Object.assign(new ControlImplementationEntity(), {
      id: `ci-${code}`,
      systemId: 'sys-1',
      controlCode: code,
      status: 'not_started',
      statement: '',
      justification: null,
      owner: '',
      ownerUserId: null,
      lastReviewedAt: null,
      nextReviewDue: null,
      updatedAt: '2026-01-01T00:00:00.000Z',
      ...over,
    });
    implementations.rows.push(row);
    return row;
  }

  const refused = (promise: Promise<unknown>, kind: string, message?: RegExp) =>
    expect(promise).rejects.toMatchObject({ kind, ...(message ? { message: expect.stringMatching(message) } : {}) });

  describe('status moves', () => {
    it('moves through a declared transition, records the history and audits it as a transition', async () => {
      seed('AIG-GOV-01');
      const view = await service.update(specialist, 'sys-1', 'AIG-GOV-01', { status: 'in_progress' });
      expect(view).toMatchObject({
        status: 'in_progress',
        allowedTransitions: ['implemented', 'not_started', 'not_applicable'],
      });
      expect(implementations.history).toEqual([{ id: 'ci-AIG-GOV-01', from: 'not_started', to: 'in_progress' }]);
      expect(audit.committed()).toEqual([
        expect.objectContaining({
          action: 'control.transition',
          entityId: 'ci-AIG-GOV-01',
          payload: expect.objectContaining({ from: 'not_started', status: 'in_progress', controlCode: 'AIG-GOV-01' }),
        }),
      ]);
    });

    it('refuses an undeclared move with the allowed ones named, and commits nothing', async () => {
      seed('AIG-GOV-01', { status: 'not_applicable', justification: 'No model' });
      await refused(
        service.update(specialist, 'sys-1', 'AIG-GOV-01', { status: 'implemented' }),
        'conflict',
        /allowed from not_applicable: not_started, in_progress/,
      );
      expect(implementations.rows[0].status).toBe('not_applicable');
      expect(audit.committed()).toEqual([]);
    });

    it('answers 409 when the status changed between the read and the write, and commits no audit entry', async () => {
      seed('AIG-GOV-01');
      const first = service.update(specialist, 'sys-1', 'AIG-GOV-01', { status: 'in_progress' });
      const second = service.update(specialist, 'sys-1', 'AIG-GOV-01', { status: 'implemented' });
      const results = await Promise.allSettled([first, second]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect(results.find((r): r is PromiseRejectedResult => r.status === 'rejected')?.reason).toMatchObject({
        kind: 'conflict',
      });
      expect(audit.committed()).toHaveLength(1);
      expect(runner.rolledBack.size).toBe(1);
    });

    it('marks a control reviewed when it becomes implemented, due again after its review frequency', async () => {
      seed('AIG-GOV-01', { status: 'in_progress' });
      const view = await service.update(specialist, 'sys-1', 'AIG-GOV-01', { status: 'implemented' });
      expect(view).toMatchObject({
        lastReviewedAt: NOW.toISOString(),
        nextReviewDue: new Date(NOW.getTime() + 91 * DAY).toISOString(),
      });
    });

    it('takes an explicit next review date over the frequency, and a review alone is an update', async () => {
      seed('AIG-SEC-01', { status: 'implemented' });
      const view = await service.update(specialist, 'sys-1', 'AIG-SEC-01', {
        reviewed: true,
        nextReviewDue: '2026-07-15T00:00:00.000Z',
      });
      expect(view).toMatchObject({ lastReviewedAt: NOW.toISOString(), nextReviewDue: '2026-07-15T00:00:00.000Z' });
      expect(implementations.history).toEqual([]);
      expect(audit.committed().map((e) => e.action)).toEqual(['control.update']);
    });
  });

  describe('justification', () => {
    it('refuses not applicable without a justification and stores nothing', async () => {
      seed('AIG-GOV-01');
      await refused(
        service.update(specialist, 'sys-1', 'AIG-GOV-01', { status: 'not_applicable' }),
        'invalid',
        /needs a justification/,
      );
      expect(implementations.rows[0].status).toBe('not_started');
      expect(audit.appended).toEqual([]);
    });

    it('stores the trimmed justification with not applicable', async () => {
      seed('AIG-GOV-01');
      const view = await service.update(specialist, 'sys-1', 'AIG-GOV-01', {
        status: 'not_applicable',
        justification: '  No training data  ',
      });
      expect(view).toMatchObject({ status: 'not_applicable', justification: 'No training data' });
    });

    it('clears the justification when the control leaves not applicable', async () => {
      seed('AIG-GOV-01', { status: 'not_applicable', justification: 'No training data' });
      const view = await service.update(specialist, 'sys-1', 'AIG-GOV-01', { status: 'in_progress' });
      expect(view.justification).toBeNull();
      expect(implementations.rows[0].justification).toBeNull();
    });

    it('keeps a not applicable control justified: the existing reason carries a statement edit', async () => {
      seed('AIG-GOV-01', { status: 'not_applicable', justification: 'No training data' });
      const view = await service.update(specialist, 'sys-1', 'AIG-GOV-01', { statement: ' Reviewed yearly ' });
      expect(view).toMatchObject({
        status: 'not_applicable',
        justification: 'No training data',
        statement: 'Reviewed yearly',
      });
    });
  });

  describe('what is refused before anything is read', () => {
    it.each<[string, string, string, object, string]>([
      ['an archived system', 'sys-old', 'AIG-GOV-01', { statement: 'x' }, 'conflict'],
      ['an unknown system', 'nope', 'AIG-GOV-01', { statement: 'x' }, 'not_found'],
      ['a control outside the system', 'sys-1', 'AIG-XXX-99', { statement: 'x' }, 'not_found'],
      ['an empty change', 'sys-1', 'AIG-GOV-01', {}, 'invalid'],
      ['a disabled owner', 'sys-1', 'AIG-GOV-01', { ownerUserId: 'u-off' }, 'invalid'],
      ['an unknown owner', 'sys-1', 'AIG-GOV-01', { ownerUserId: 'u-none' }, 'invalid'],
    ])('refuses %s', async (_name, systemId, code, dto, kind) => {
      seed('AIG-GOV-01');
      await refused(service.update(specialist, systemId, code, dto), kind);
      expect(audit.appended).toEqual([]);
    });

    it('names an active owner on the view', async () => {
      seed('AIG-GOV-01');
      const view = await service.update(specialist, 'sys-1', 'AIG-GOV-01', { ownerUserId: 'u-1' });
      expect(view).toMatchObject({ ownerUserId: 'u-1' });
      expect(JSON.stringify(view)).toContain('Una');
    });
  });

  describe('listing', () => {
    function evidenceOf(id: string, over: Partial<EvidenceEntity>, controlCodes: string[]): EvidenceWithControls {
      return Object.assign(
        new EvidenceEntity(),
        {
          id,
          systemId: 'sys-1',
          uploadedAt: '2026-05-01T00:00:00.000Z',
          collectedAt: '2026-05-01T00:00:00.000Z',
          reviewedAt: '2026-05-02T00:00:00.000Z',
          reviewStatus: 'accepted' as const,
          validUntil: null,
          modelVersion: 'v2',
        },
        over,
        { controlCodes, requirementIds: [], supersededAt: null },
      );
    }

    it('counts current and stale evidence per control and flags an overdue review', async () => {
      seed('AIG-GOV-01', { nextReviewDue: '2026-05-31T00:00:00.000Z' });
      seed('AIG-SEC-01', { nextReviewDue: '2026-06-02T00:00:00.000Z' });
      evidence.rows.push(
        evidenceOf('ev-current', {}, ['AIG-GOV-01']),
        evidenceOf('ev-expired', { validUntil: '2026-05-20T00:00:00.000Z' }, ['AIG-GOV-01', 'AIG-SEC-01']),
        evidenceOf('ev-submitted', { reviewStatus: 'submitted', reviewedAt: null }, ['AIG-SEC-01']),
      );
      const rows = await service.listForSystem(specialist, 'sys-1');
      expect(
        rows.map((r) => ({
          code: r.controlCode,
          n: r.evidenceCount,
          current: r.currentEvidenceCount,
          stale: r.staleEvidenceCount,
          overdue: r.reviewOverdue,
        })),
      ).toEqual([
        { code: 'AIG-GOV-01', n: 2, current: 1, stale: 1, overdue: true },
        { code: 'AIG-SEC-01', n: 2, current: 0, stale: 1, overdue: false },
      ]);
    });

    it('answers not found for a framework the coverage does not contain', async () => {
      coverage.frameworks = [
        {
          framework: 'gdpr',
          name: 'GDPR',
          applies: true,
          applicable: 0,
          covered: 0,
          partial: 0,
          gap: 0,
          notApplicable: 0,
          percent: null,
          requirements: [],
        },
      ];
      await expect(service.coverageOf(specialist, 'sys-1', 'gdpr')).resolves.toMatchObject({
        at: NOW.toISOString(),
        frameworks: [{ framework: 'gdpr' }],
      });
      await refused(service.coverageOf(specialist, 'sys-1', 'hipaa-security'), 'not_found', /Framework hipaa-security/);
    });
  });
});
