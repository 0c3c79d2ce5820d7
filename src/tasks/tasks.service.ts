import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AiSystemsRepository } from '../ai-systems/ai-systems.repository';
import { AuditLogService } from '../audit-log/audit-log.service';
import { Actor } from '../common/auth.decorators';
import { conflict, forbidden, invalid, notFound } from '../common/domain-errors';
import { assertSomethingToChange } from '../common/validation';
import { CLOCK, Clock, iso } from '../common/time';
import { ControlImplementationsRepository } from '../controls/control-implementations.repository';
import { TransactionRunner } from '../database/transaction-runner';
import { EvidenceRepository } from '../evidence/evidence.repository';
import { UsersRepository } from '../users/users.repository';
import { CreateTaskDto, ListTasksQueryDto, TransitionTaskDto, UpdateTaskDto } from './dto/task.dto';
import { TASK_STATUSES, TaskEntity, TaskEventEntity } from './entities/task.entity';
import { taskStatusMachine } from './task-status';
import { toTaskEventView, toTaskView } from './task.view';
import { TaskFilter, TasksRepository } from './tasks.repository';

const VERIFIER_ROLES = new Set(['governance_specialist', 'admin']);
// Work that produces something to verify; a review task is itself the verification.
const NEEDS_EVIDENCE = new Set(['remediation', 'evidence_request']);

@Injectable()
export class TasksService {
  constructor(
    private readonly tasks: TasksRepository,
    private readonly systems: AiSystemsRepository,
    private readonly implementations: ControlImplementationsRepository,
    private readonly evidence: EvidenceRepository,
    private readonly users: UsersRepository,
    private readonly tx: TransactionRunner,
    private readonly auditLog: AuditLogService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(actor: Actor, query: ListTasksQueryDto) {
    const now = iso(this.clock.now());
    // Counts and the overdue total describe the caller's whole view (all statuses), so a status tab can show them.
    const base: TaskFilter = {
      visibleTo: this.reach(actor),
      assigneeUserId: query.assignee === 'me' ? actor.id : undefined,
      systemId: query.systemId,
      kind: query.kind,
    };
    const [page, byStatus, overdue] = await Promise.all([
      this.tasks.findPage(
        { ...base, status: query.status, overdueAt: query.overdue ? now : undefined },
        query.limit ?? 100,
        query.offset ?? 0,
      ),
      this.tasks.countByStatus(base),
      this.tasks.count({ ...base, overdueAt: now }),
    ]);
    const counts = Object.fromEntries(TASK_STATUSES.map((s) => [s, byStatus.get(s) ?? 0]));
    return { items: page.items.map((t) => toTaskView(t, now)), total: page.total, counts, overdue };
  }

  async get(actor: Actor, id: string) {
    const task = await this.load(actor, id);
    const events = await this.tasks.findEvents(id);
    return { ...toTaskView(task, iso(this.clock.now())), events: events.map(toTaskEventView) };
  }

  async create(actor: Actor, dto: CreateTaskDto) {
    const system = await this.systems.findById(dto.systemId);
    if (!system) throw invalid(`AI system ${dto.systemId} does not exist`);
    if (system.archivedAt) throw conflict('This AI system is archived; tasks cannot be added to it');
    if (dto.controlCode && !(await this.implementations.findOne(dto.systemId, dto.controlCode))) {
      throw invalid(`Control ${dto.controlCode} is not part of this system's control set`);
    }
    await this.assertAssignee(dto.assigneeRole, dto.assigneeUserId ?? null);
    const now = iso(this.clock.now());
    const task = Object.assign(new TaskEntity(), {
      id: randomUUID(),
      systemId: dto.systemId,
      controlCode: dto.controlCode ?? null,
      kind: dto.kind,
      title: dto.title.trim(),
      description: dto.description?.trim() ?? '',
      assigneeRole: dto.assigneeRole,
      assigneeUserId: dto.assigneeUserId ?? null,
      dueDate: dto.dueDate ? iso(new Date(dto.dueDate)) : null,
      priority: dto.priority ?? 'medium',
      status: 'open',
      openSourceKey: null,
      createdBy: actor.id,
      createdAt: now,
      updatedAt: now,
    });
    await this.tx.run(async (tx) => {
      await this.tasks.insert(tx, task);
      await this.auditLog.append(tx, {
        actor: actor.email,
        action: 'task.create',
        entityType: 'task',
        entityId: task.id,
        payload: toTaskView(task, now),
      });
    });
    return toTaskView(task, now);
  }

  async update(actor: Actor, id: string, dto: UpdateTaskDto) {
    assertSomethingToChange(dto);
    const current = await this.load(actor, id);
    if (current.status === 'done') throw conflict('This task is done; open a new one instead of changing it');
    const changes: Partial<TaskEntity> = {};
    if (dto.title !== undefined) changes.title = dto.title.trim();
    if (dto.description !== undefined) changes.description = dto.description.trim();
    if (dto.priority !== undefined) changes.priority = dto.priority;
    if (dto.dueDate !== undefined) changes.dueDate = dto.dueDate === null ? null : iso(new Date(dto.dueDate));
    if (dto.assigneeRole !== undefined) changes.assigneeRole = dto.assigneeRole;
    if (dto.assigneeUserId !== undefined) changes.assigneeUserId = dto.assigneeUserId;
    if (dto.assigneeRole !== undefined || dto.assigneeUserId !== undefined) {
      await this.assertAssignee(
        changes.assigneeRole ?? current.assigneeRole,
        changes.assigneeUserId !== undefined ? changes.assigneeUserId : current.assigneeUserId,
      );
    }
    const now = iso(this.clock.now());
    changes.updatedAt = now;
    await this.tx.run(async (tx) => {
      await this.tasks.update(tx, id, current.status, changes);
      await this.auditLog.append(tx, {
        actor: actor.email,
        action: 'task.update',
        entityType: 'task',
        entityId: id,
        payload: { changes },
      });
    });
    return toTaskView({ ...current, ...changes }, now);
  }

  async transition(actor: Actor, id: string, dto: TransitionTaskDto) {
    const task = await this.load(actor, id);
    taskStatusMachine.assertMove(task.status, dto.to);
    const comment = dto.comment?.trim() ?? '';
    const evidenceIds = [...new Set(dto.evidenceIds ?? [])];
    const changes: Partial<TaskEntity> = { status: dto.to };
    if (task.assigneeUserId === null && dto.to === 'in_progress') {
      // Starting an unassigned task of one's role takes it.
      if (actor.role !== task.assigneeRole)
        throw forbidden(`This task is for the ${task.assigneeRole} role; assign it before starting it`);
      changes.assigneeUserId = actor.id;
    } else if (actor.role === 'engineer' && task.assigneeUserId !== actor.id) {
      throw forbidden('Start the task (in_progress) to take it before moving it further');
    }
    if (dto.to === 'ready_for_review') {
      if (actor.role === 'engineer' && NEEDS_EVIDENCE.has(task.kind) && evidenceIds.length === 0) {
        throw invalid('Attach at least one piece of evidence (evidenceIds) before asking for review');
      }
    } else if (evidenceIds.length > 0) {
      throw invalid('Evidence is attached when a task moves to ready_for_review');
    }
    await this.assertEvidence(task, evidenceIds);
    if (dto.to === 'done' || dto.to === 'reopened') await this.assertVerifier(actor, task, dto.to);
    if (dto.to === 'reopened' && !comment) throw invalid('Say what is still missing (comment) when reopening a task');
    if (dto.to === 'done') changes.openSourceKey = null;
    const now = iso(this.clock.now());
    changes.updatedAt = now;
    const event = Object.assign(new TaskEventEntity(), {
      id: randomUUID(),
      taskId: id,
      fromStatus: task.status,
      toStatus: dto.to,
      actorId: actor.id,
      comment,
      evidenceIds,
      at: now,
    });
    await this.tx.run(async (tx) => {
      await this.tasks.moveStatus(tx, id, task.status, dto.to, changes);
      await this.tasks.insertEvent(tx, event);
      await this.auditLog.append(tx, {
        actor: actor.email,
        action: 'task.transition',
        entityType: 'task',
        entityId: id,
        payload: {
          from: task.status,
          to: dto.to,
          comment,
          evidenceIds,
          assigneeUserId: changes.assigneeUserId ?? task.assigneeUserId,
        },
      });
    });
    const events = await this.tasks.findEvents(id);
    return { ...toTaskView({ ...task, ...changes }, now), events: events.map(toTaskEventView) };
  }

  /** Engineers see only their own tasks and the unassigned ones of their role; other roles with tasks:read see all. */
  private reach(actor: Actor): TaskFilter['visibleTo'] {
    return actor.role === 'engineer' ? { userId: actor.id, role: actor.role } : undefined;
  }

  private async load(actor: Actor, id: string): Promise<TaskEntity> {
    const task = await this.tasks.findById(id);
    const reach = this.reach(actor);
    const visible =
      task &&
      (!reach ||
        task.assigneeUserId === reach.userId ||
        (task.assigneeUserId === null && task.assigneeRole === reach.role));
    if (!task || !visible) throw notFound('Task', id);
    return task;
  }

  private async assertAssignee(role: string, userId: string | null): Promise<void> {
    if (userId === null) return;
    const user = await this.users.findById(userId);
    if (!user || user.disabled || user.role !== role)
      throw invalid(`assigneeUserId must be an active user with the ${role} role`);
  }

  private async assertEvidence(task: TaskEntity, evidenceIds: string[]): Promise<void> {
    for (const evidenceId of evidenceIds) {
      const evidence = await this.evidence.findById(evidenceId);
      if (!evidence || evidence.systemId !== task.systemId)
        throw invalid(`Evidence ${evidenceId} does not belong to this task's system`);
      if (evidence.reviewStatus === 'rejected')
        throw invalid(`Evidence ${evidenceId} was rejected; upload a new version`);
      if (task.controlCode && !(await this.evidence.findControlCodes(evidenceId)).includes(task.controlCode)) {
        throw invalid(`Evidence ${evidenceId} is not linked to control ${task.controlCode}`);
      }
    }
  }

  /**
   * Four eyes: verification is a specialist's (or admin's) call, never made by whoever asked for it or did the work,
   * and a task closes only once the evidence it was submitted with has been accepted.
   */
  private async assertVerifier(actor: Actor, task: TaskEntity, to: 'done' | 'reopened'): Promise<void> {
    if (!VERIFIER_ROLES.has(actor.role)) throw forbidden('Only a governance specialist or an admin verifies tasks');
    const submission = (await this.tasks.findEvents(task.id)).filter((e) => e.toStatus === 'ready_for_review').pop();
    if (submission?.actorId === actor.id || task.assigneeUserId === actor.id) {
      throw forbidden('A task is verified by someone other than the person who did it or submitted it for review');
    }
    if (to !== 'done' || !submission) return;
    for (const evidenceId of submission.evidenceIds) {
      const evidence = await this.evidence.findById(evidenceId);
      if (evidence?.reviewStatus !== 'accepted')
        throw conflict(`Evidence ${evidenceId} has not been accepted yet; review it before closing the task`, {
          evidenceId,
        });
    }
  }
}
