import { Test } from '@nestjs/testing';
import { actor, FakeTransactionRunner, FixedClock, RecordingAuditLog } from '../../test/factories/service-doubles';
import { AiSystemsQueries } from '../ai-systems/ai-systems.queries';
import { AiSystemEntity } from '../ai-systems/entities/ai-system.entity';
import { AuditLogService } from '../audit-log/audit-log.service';
import { RolePermissionsProvider } from '../common/role-permissions.provider';
import { conflict, DomainError } from '../common/domain-errors';
import { CLOCK } from '../common/time';
import { ControlImplementationsQueries } from '../controls/control-implementations.queries';
import { ControlImplementationEntity } from '../controls/entities/control-implementation.entity';
import { TransactionRunner } from '../database/transaction-runner';
import { EvidenceEntity } from '../evidence/entities/evidence.entity';
import { EvidenceQueries } from '../evidence/evidence.queries';
import { UserEntity } from '../users/entities/user.entity';
import { UsersQueries } from '../users/users.queries';
import { TaskEntity, TaskEventEntity, TaskKind, TaskStatus } from './entities/task.entity';
import { taskStatusMachine } from './task-status';
import { TasksRepository } from './tasks.repository';
import { TasksService } from './tasks.service';
import { EventsService } from '../events/events.service';

const NOW = new Date('2026-06-01T12:00:00.000Z');

/** Tasks and their events in memory; moveStatus behaves as the repository primitive (declared move, compare-and-set). */
class MemoryTasks implements Pick<
  TasksRepository,
  'findById' | 'findEvents' | 'insert' | 'update' | 'moveStatus' | 'insertEvent'
> {
  readonly rows = new Map<string, TaskEntity>();
  readonly events: TaskEventEntity[] = [];

  findById(id: string) {
    const row = this.rows.get(id);
    return Promise.resolve(row ? { ...row } : null);
  }

  findEvents(taskId: string) {
    return Promise.resolve(this.events.filter((e) => e.taskId === taskId));
  }

  insert(_tx: unknown, task: TaskEntity) {
    this.rows.set(task.id, { ...task });
    return Promise.resolve();
  }

  update(_tx: unknown, id: string, status: TaskStatus, changes: Partial<TaskEntity>) {
    const row = this.rows.get(id);
    if (!row || row.status !== status) return Promise.reject(conflict('The task changed meanwhile'));
    Object.assign(row, changes);
    return Promise.resolve();
  }

  moveStatus(_tx: unknown, id: string, from: TaskStatus, to: TaskStatus, changes: Partial<TaskEntity>) {
    taskStatusMachine.assertMove(from, to);
    return this.update(_tx, id, from, { ...changes, status: to });
  }

  insertEvent(_tx: unknown, event: TaskEventEntity) {
    this.events.push(event);
    return Promise.resolve();
  }
}

class MemorySystems implements Pick<AiSystemsQueries, 'findById'> {
  readonly rows = new Map<string, AiSystemEntity>();
  findById(id: string) {
    return Promise.resolve(this.rows.get(id) ?? null);
  }
}

class MemoryImplementations implements Pick<ControlImplementationsQueries, 'findOne'> {
  readonly rows: ControlImplementationEntity[] = [];
  findOne(systemId: string, controlCode: string) {
    return Promise.resolve(this.rows.find((r) => r.systemId === systemId && r.controlCode === controlCode) ?? null);
  }
}

class MemoryEvidence implements Pick<EvidenceQueries, 'findById' | 'findControlCodes'> {
  readonly rows = new Map<string, EvidenceEntity>();
  readonly links = new Map<string, string[]>();
  findById(id: string) {
    return Promise.resolve(this.rows.get(id) ?? null);
  }
  findControlCodes(id: string) {
    return Promise.resolve(this.links.get(id) ?? []);
  }
}

class MemoryUsers implements Pick<UsersQueries, 'findById'> {
  readonly rows = new Map<string, UserEntity>();
  findById(id: string) {
    return Promise.resolve(this.rows.get(id) ?? null);
  }
}

describe('TasksService rules', () => {
  const engineer = actor('engineer', 'eng-1');
  const otherEngineer = actor('engineer', 'eng-2');
  const specialist = actor('governance_specialist', 'gs-1');
  const otherSpecialist = actor('governance_specialist', 'gs-2');
  const auditor = actor('auditor', 'aud-1');
  let service: TasksService;
  let tasks: MemoryTasks;
  let systems: MemorySystems;
  let implementations: MemoryImplementations;
  let evidence: MemoryEvidence;
  let users: MemoryUsers;
  let runner: FakeTransactionRunner;
  let audit: RecordingAuditLog;

  beforeEach(async () => {
    tasks = new MemoryTasks();
    systems = new MemorySystems();
    implementations = new MemoryImplementations();
    evidence = new MemoryEvidence();
    users = new MemoryUsers();
    runner = new FakeTransactionRunner();
    audit = new RecordingAuditLog(runner);
    const moduleRef = await Test.createTestingModule({
      providers: [
        TasksService,
        RolePermissionsProvider,
        { provide: TasksRepository, useValue: tasks },
        { provide: AiSystemsQueries, useValue: systems },
        { provide: ControlImplementationsQueries, useValue: implementations },
        { provide: EvidenceQueries, useValue: evidence },
        { provide: UsersQueries, useValue: users },
        { provide: TransactionRunner, useValue: runner },
        { provide: AuditLogService, useValue: audit },
        { provide: EventsService, useValue: { record: jest.fn(() => Promise.resolve(true)) } },
        { provide: CLOCK, useValue: new FixedClock(NOW) },
      ],
    }).compile();
    service = moduleRef.get(TasksService);
    systems.rows.set('sys-1', Object.assign(new AiSystemEntity(), { id: 'sys-1', archivedAt: null }));
    systems.rows.set('sys-2', Object.assign(new AiSystemEntity(), { id: 'sys-2', archivedAt: null }));
    systems.rows.set('sys-old', Object.assign(new AiSystemEntity(), { id: 'sys-old', archivedAt: NOW.toISOString() }));
    implementations.rows.push(
      Object.assign(new ControlImplementationEntity(), { id: 'ci-1', systemId: 'sys-1', controlCode: 'AIG-GOV-01' }),
    );
    for (const a of [engineer, otherEngineer, specialist, otherSpecialist]) {
      users.rows.set(a.id, Object.assign(new UserEntity(), { id: a.id, role: a.role, disabled: false }));
    }
    users.rows.set('eng-off', Object.assign(new UserEntity(), { id: 'eng-off', role: 'engineer', disabled: true }));
  });

  function seedTask(over: Partial<TaskEntity> = {}): TaskEntity {
    const task = Object.assign(new TaskEntity(), {
      id: `task-${tasks.rows.size + 1}`,
      systemId: 'sys-1',
      controlCode: null,
      kind: 'remediation',
      title: 'Fix it',
      description: '',
      assigneeRole: 'engineer',
      assigneeUserId: null,
      dueDate: null,
      priority: 'medium',
      status: 'open',
      openSourceKey: 'gap:sys-1:AIG-GOV-01',
      createdBy: specialist.id,
      createdAt: NOW.toISOString(),
      updatedAt: NOW.toISOString(),
      ...over,
    });
    tasks.rows.set(task.id, task);
    return task;
  }

  function seedEvidence(id: string, over: Partial<EvidenceEntity> = {}, controlCodes: string[] = ['AIG-GOV-01']) {
    evidence.rows.set(
      id,
      Object.assign(new EvidenceEntity(), {
        id,
        systemId: 'sys-1',
        reviewStatus: 'submitted',
        ...over,
      }),
    );
    evidence.links.set(id, controlCodes);
  }

  /** A task an engineer has done and submitted for review with the given evidence. */
  async function submitted(evidenceIds: string[], over: Partial<TaskEntity> = {}): Promise<TaskEntity> {
    const task = seedTask(over);
    await service.transition(engineer, task.id, { to: 'in_progress' });
    await service.transition(engineer, task.id, { to: 'ready_for_review', evidenceIds });
    return task;
  }

  const refused = (promise: Promise<unknown>, kind: string, message?: RegExp) =>
    expect(promise).rejects.toMatchObject({ kind, ...(message ? { message: expect.stringMatching(message) } : {}) });

  describe('create', () => {
    const dto = {
      systemId: 'sys-1',
      kind: 'remediation' as TaskKind,
      title: '  Write the policy ',
      assigneeRole: 'engineer',
    };

    it('stores the task as open with its audit entry in the same committed transaction', async () => {
      const view = await service.create(specialist, dto);
      expect(view).toMatchObject({ status: 'open', title: 'Write the policy', priority: 'medium', createdBy: 'gs-1' });
      expect(tasks.rows.get(view.id)?.status).toBe('open');
      expect(audit.committed()).toEqual([expect.objectContaining({ action: 'task.create', entityId: view.id })]);
    });

    it.each<[string, Partial<typeof dto> & { controlCode?: string; assigneeUserId?: string }, string, RegExp]>([
      ['an unknown system', { systemId: 'nope' }, 'invalid', /AI system nope does not exist/],
      ['an archived system', { systemId: 'sys-old' }, 'conflict', /archived/],
      ['a control outside the system', { controlCode: 'AIG-SEC-99' }, 'invalid', /AIG-SEC-99 is not part/],
      ['an assignee of another role', { assigneeUserId: 'gs-1' }, 'invalid', /active user with the engineer role/],
      ['a disabled assignee', { assigneeUserId: 'eng-off' }, 'invalid', /assigneeUserId/],
    ])('refuses %s and stores nothing', async (_name, over, kind, message) => {
      await refused(service.create(specialist, { ...dto, ...over }), kind, message);
      expect(tasks.rows.size).toBe(0);
      expect(audit.appended).toEqual([]);
    });
  });

  describe('transitions', () => {
    it('lets an engineer take an unassigned task of their role by starting it', async () => {
      const task = seedTask();
      const view = await service.transition(engineer, task.id, { to: 'in_progress' });
      expect(view).toMatchObject({ status: 'in_progress', assigneeUserId: 'eng-1' });
      expect(view.events).toEqual([expect.objectContaining({ from: 'open', to: 'in_progress', actorId: 'eng-1' })]);
      expect(audit.committed()).toEqual([
        expect.objectContaining({
          action: 'task.transition',
          entityId: task.id,
          payload: expect.objectContaining({ from: 'open', to: 'in_progress', assigneeUserId: 'eng-1' }),
        }),
      ]);
    });

    it('refuses a move the lifecycle does not declare, naming the allowed ones, and writes nothing', async () => {
      const task = seedTask();
      await refused(
        service.transition(specialist, task.id, { to: 'done' }),
        'conflict',
        /from open to done; allowed from open: in_progress/,
      );
      expect(tasks.rows.get(task.id)?.status).toBe('open');
      expect(audit.appended).toEqual([]);
    });

    it('refuses to start an unassigned task of another role', async () => {
      const task = seedTask({ assigneeRole: 'governance_specialist' });
      await refused(
        service.transition(specialist, seedTask({ assigneeRole: 'auditor' }).id, { to: 'in_progress' }),
        'forbidden',
        /auditor role/,
      );
      expect(tasks.rows.get(task.id)?.assigneeUserId).toBeNull();
    });

    it("hides another engineer's task from an engineer (not found, not forbidden)", async () => {
      const task = seedTask({ assigneeUserId: 'eng-2', status: 'in_progress' });
      await refused(service.transition(engineer, task.id, { to: 'ready_for_review' }), 'not_found');
      await refused(service.get(engineer, task.id), 'not_found');
    });

    it('refuses an engineer moving an unassigned task further than starting it', async () => {
      const task = seedTask({ status: 'in_progress' });
      await refused(service.transition(engineer, task.id, { to: 'ready_for_review' }), 'forbidden', /Start the task/);
    });

    it('answers 409 and commits no audit entry when the task moved meanwhile', async () => {
      const task = seedTask();
      const first = service.transition(engineer, task.id, { to: 'in_progress' });
      const second = service.transition(otherEngineer, task.id, { to: 'in_progress' });
      const results = await Promise.allSettled([first, second]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const loser = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(loser?.reason).toMatchObject({ kind: 'conflict' });
      expect(audit.committed()).toHaveLength(1);
      expect(tasks.events).toHaveLength(1);
    });
  });

  describe('evidence requirement', () => {
    it('refuses a remediation sent for review by an engineer without evidence', async () => {
      const task = seedTask({ assigneeUserId: 'eng-1', status: 'in_progress' });
      await refused(
        service.transition(engineer, task.id, { to: 'ready_for_review' }),
        'invalid',
        /Attach at least one piece of evidence \(evidenceIds\)/,
      );
    });

    it('lets a review task go to review without evidence: it is itself the verification', async () => {
      const task = seedTask({ assigneeUserId: 'eng-1', status: 'in_progress', kind: 'review' });
      await expect(service.transition(engineer, task.id, { to: 'ready_for_review' })).resolves.toMatchObject({
        status: 'ready_for_review',
      });
    });

    it.each<[string, () => void, RegExp]>([
      ['of another system', () => seedEvidence('ev-x', { systemId: 'sys-2' }), /does not belong to this task's system/],
      [
        'that was rejected',
        () => seedEvidence('ev-x', { reviewStatus: 'rejected' }),
        /was rejected; upload a new version/,
      ],
      ['not linked to the control', () => seedEvidence('ev-x', {}, ['AIG-SEC-01']), /not linked to control AIG-GOV-01/],
      ['that does not exist', () => undefined, /ev-x does not belong/],
    ])('refuses evidence %s', async (_name, seed, message) => {
      seed();
      const task = seedTask({ assigneeUserId: 'eng-1', status: 'in_progress', controlCode: 'AIG-GOV-01' });
      await refused(
        service.transition(engineer, task.id, { to: 'ready_for_review', evidenceIds: ['ev-x'] }),
        'invalid',
        message,
      );
      expect(tasks.rows.get(task.id)?.status).toBe('in_progress');
    });

    it('refuses evidence on any move other than to ready_for_review', async () => {
      seedEvidence('ev-1');
      const task = seedTask();
      await refused(
        service.transition(engineer, task.id, { to: 'in_progress', evidenceIds: ['ev-1'] }),
        'invalid',
        /attached when a task moves to ready_for_review/,
      );
    });

    it('records the submitted evidence once each on the event', async () => {
      seedEvidence('ev-1');
      const task = await submitted(['ev-1', 'ev-1']);
      expect(tasks.events.at(-1)).toMatchObject({
        toStatus: 'ready_for_review',
        evidenceIds: ['ev-1'],
        actorId: 'eng-1',
      });
      expect(tasks.rows.get(task.id)?.status).toBe('ready_for_review');
    });
  });

  describe('four eyes', () => {
    beforeEach(() => seedEvidence('ev-1'));

    it('refuses verification by the engineer who did the work', async () => {
      evidence.rows.get('ev-1')!.reviewStatus = 'accepted';
      const task = await submitted(['ev-1']);
      await refused(service.transition(engineer, task.id, { to: 'done' }), 'forbidden');
      expect(tasks.rows.get(task.id)?.status).toBe('ready_for_review');
    });

    it('refuses verification by an auditor (hidden or forbidden, never done)', async () => {
      evidence.rows.get('ev-1')!.reviewStatus = 'accepted';
      const task = await submitted(['ev-1']);
      const error: unknown = await service.transition(auditor, task.id, { to: 'done' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect(['forbidden', 'not_found']).toContain((error as DomainError).kind);
      expect(tasks.rows.get(task.id)?.status).toBe('ready_for_review');
    });

    it('refuses verification by the specialist who submitted the task for review', async () => {
      evidence.rows.get('ev-1')!.reviewStatus = 'accepted';
      const task = seedTask({ assigneeRole: 'governance_specialist' });
      await service.transition(specialist, task.id, { to: 'in_progress' });
      await service.transition(specialist, task.id, { to: 'ready_for_review', evidenceIds: ['ev-1'] });
      await refused(service.transition(specialist, task.id, { to: 'done' }), 'forbidden', /someone other than/);
      await refused(service.transition(specialist, task.id, { to: 'reopened', comment: 'x' }), 'forbidden');
    });

    it('refuses verification by the assignee even when someone else submitted it', async () => {
      const task = seedTask({ assigneeUserId: 'gs-1', status: 'ready_for_review', kind: 'review' });
      await refused(service.transition(specialist, task.id, { to: 'done' }), 'forbidden', /someone other than/);
    });

    it('keeps the task open while the submitted evidence is not accepted, naming the evidence', async () => {
      const task = await submitted(['ev-1']);
      await expect(service.transition(specialist, task.id, { to: 'done' })).rejects.toMatchObject({
        kind: 'conflict',
        details: { evidenceId: 'ev-1' },
      });
      expect(audit.committed().map((e) => e.payload)).not.toContainEqual(expect.objectContaining({ to: 'done' }));
    });

    it('closes the task once another specialist verifies accepted evidence, releasing its source key', async () => {
      const task = await submitted(['ev-1']);
      evidence.rows.get('ev-1')!.reviewStatus = 'accepted';
      const view = await service.transition(specialist, task.id, { to: 'done' });
      expect(view.status).toBe('done');
      expect(tasks.rows.get(task.id)).toMatchObject({ status: 'done', openSourceKey: null });
      expect(audit.committed().at(-1)).toMatchObject({
        action: 'task.transition',
        actor: 'gs-1@example.test',
        payload: { from: 'ready_for_review', to: 'done', evidenceIds: [] },
      });
    });

    it('reopens only with a comment saying what is missing, and keeps the source key held', async () => {
      const task = await submitted(['ev-1']);
      await refused(service.transition(specialist, task.id, { to: 'reopened', comment: '  ' }), 'invalid', /comment/);
      await service.transition(specialist, task.id, { to: 'reopened', comment: 'Missing the sign-off' });
      expect(tasks.rows.get(task.id)).toMatchObject({ status: 'reopened', openSourceKey: 'gap:sys-1:AIG-GOV-01' });
      expect(tasks.events.at(-1)).toMatchObject({ comment: 'Missing the sign-off', actorId: 'gs-1' });
    });
  });

  describe('update', () => {
    it('refuses to change a done task', async () => {
      const task = seedTask({ status: 'done' });
      await refused(service.update(specialist, task.id, { title: 'New' }), 'conflict', /done/);
    });

    it('refuses an empty change', async () => {
      const task = seedTask();
      await refused(service.update(specialist, task.id, {}), 'invalid');
    });

    it('checks a new assignee against the role the task keeps', async () => {
      const task = seedTask();
      await refused(service.update(specialist, task.id, { assigneeUserId: 'gs-1' }), 'invalid', /engineer role/);
      await service.update(specialist, task.id, { assigneeUserId: 'eng-2', title: ' Renamed ' });
      expect(tasks.rows.get(task.id)).toMatchObject({ assigneeUserId: 'eng-2', title: 'Renamed' });
      expect(audit.committed()).toEqual([expect.objectContaining({ action: 'task.update', entityId: task.id })]);
    });
  });
});
