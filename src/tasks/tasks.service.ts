import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AiSystemsQueries } from '../ai-systems/ai-systems.queries';
import { AuditLogService } from '../audit-log/audit-log.service';
import { RolePermissionsProvider } from '../common/role-permissions.provider';
import { Actor, Permission } from '../common/auth.decorators';
import { conflict, DomainError, forbidden, invalid, notFound } from '../common/domain-errors';
import { assertSomethingToChange } from '../common/validation';
import { CLOCK, Clock, iso, IsoTimestamp } from '../common/time';
import { ControlImplementationsQueries } from '../controls/control-implementations.queries';
import { TransactionRunner } from '../database/transaction-runner';
import { EvidenceEntity } from '../evidence/entities/evidence.entity';
import { EvidenceQueries } from '../evidence/evidence.queries';
import { taskAssigned, taskReadyForReview } from '../events/domain-events';
import { EventsService } from '../events/events.service';
import { UsersQueries } from '../users/users.queries';
import { CreateTaskDto, ListTasksQueryDto, TransitionTaskDto, UpdateTaskDto } from './dto/task.dto';
import { TASK_STATUSES, TaskEntity, TaskEventEntity, TaskStatus } from './entities/task.entity';
import { taskStatusMachine } from './task-status';
import { toTaskEventView, toTaskView } from './task.view';
import { TaskFilter, TasksRepository } from './tasks.repository';

// Work that produces something to verify; a review task is itself the verification.
const NEEDS_EVIDENCE = new Set(['remediation', 'evidence_request']);

/** A status move of the task's lifecycle, and whether this actor may make it now (else why not). */
export interface TaskMove {
  to: TaskStatus;
  allowed: boolean;
  /** Why the move is refused for this actor now; null when it is allowed. */
  refusal: string | null;
  /** Evidence ids may be sent with this move (only the move to ready_for_review takes them). */
  takesEvidence: boolean;
  /** At least one piece of evidence must be sent with this move. */
  needsEvidence: boolean;
  /** A comment must be sent with this move. */
  needsComment: boolean;
}

type EvidenceFacts = Pick<EvidenceEntity, 'id' | 'systemId' | 'reviewStatus' | 'supersededById'>;

/** Why this evidence cannot support a move of this task, or null: one rule for what is sent and what is offered. */
function evidenceRefusal(task: TaskEntity, evidence: EvidenceFacts | null, controlCodes: string[], id: string) {
  if (!evidence || evidence.systemId !== task.systemId) return `Evidence ${id} does not belong to this task's system`;
  if (evidence.reviewStatus === 'rejected') return `Evidence ${id} was rejected; upload a new version`;
  if (evidence.supersededById) return `Evidence ${id} has been superseded; attach its current version`;
  if (task.controlCode && !controlCodes.includes(task.controlCode))
    return `Evidence ${id} is not linked to control ${task.controlCode}`;
  return null;
}

@Injectable()
export class TasksService {
  constructor(
    private readonly tasks: TasksRepository,
    private readonly systems: AiSystemsQueries,
    private readonly implementations: ControlImplementationsQueries,
    private readonly evidence: EvidenceQueries,
    private readonly users: UsersQueries,
    private readonly tx: TransactionRunner,
    private readonly auditLog: AuditLogService,
    private readonly permissions: RolePermissionsProvider,
    private readonly events: EventsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(actor: Actor, query: ListTasksQueryDto) {
    const now = iso(this.clock.now());
    // Counts and the overdue total describe the caller's whole view (all statuses), so a status tab can show them.
    const base: TaskFilter = {
      visibleTo: this.reach(actor),
      assigneeUserId: query.assignee === 'me' ? actor.id : query.assigneeUserId,
      systemId: query.systemId,
      kind: query.kind,
      priority: query.priority,
    };
    const [page, byStatus, overdue] = await Promise.all([
      this.tasks.findPage(
        { ...base, status: query.status, overdueAt: query.overdue ? now : undefined },
        query.limit ?? 100,
        query.offset ?? 0,
        query.sort,
      ),
      this.tasks.countByStatus(base),
      this.tasks.count({ ...base, overdueAt: now }),
    ]);
    const counts = Object.fromEntries(TASK_STATUSES.map((s) => [s, byStatus.get(s) ?? 0]));
    return { items: page.items.map((t) => toTaskView(t, now)), total: page.total, counts, overdue };
  }

  /** How many of the tasks the actor sees are overdue (the figure list() returns as `overdue`): one count query. */
  countOverdue(actor: Actor): Promise<number> {
    return this.tasks.count({ visibleTo: this.reach(actor), overdueAt: iso(this.clock.now()) });
  }

  /** One task with its history and the moves the actor may make now. */
  async get(actor: Actor, id: string) {
    return this.detail(actor, await this.load(actor, id), iso(this.clock.now()));
  }

  /**
   * The evidence of the task's system that the move to ready_for_review would accept (current, not rejected, linked
   * to the task's control), newest first.
   */
  async attachableEvidence(actor: Actor, id: string) {
    const task = await this.load(actor, id);
    const items = await this.evidence.findBySystems([task.systemId]);
    return items
      .filter((e) => evidenceRefusal(task, e, e.controlCodes, e.id) === null)
      .reverse()
      .map((e) => ({ id: e.id, title: e.title, reviewStatus: e.reviewStatus, collectedAt: e.collectedAt }));
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
      if (task.assigneeUserId) await this.events.record(tx, taskAssigned(task, actor.id));
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
      if (changes.assigneeUserId && changes.assigneeUserId !== current.assigneeUserId)
        await this.events.record(tx, taskAssigned({ ...current, ...changes }, actor.id));
    });
    return toTaskView({ ...current, ...changes }, now);
  }

  async transition(actor: Actor, id: string, dto: TransitionTaskDto) {
    const task = await this.load(actor, id);
    taskStatusMachine.assertMove(task.status, dto.to);
    const comment = dto.comment?.trim() ?? '';
    const evidenceIds = [...new Set(dto.evidenceIds ?? [])];
    const move = await this.moveFor(actor, task, dto.to, await this.tasks.findEvents(id));
    if (move.refusal) throw move.refusal;
    if (move.needsEvidence && evidenceIds.length === 0) {
      throw invalid('Attach at least one piece of evidence (evidenceIds) before asking for review');
    }
    if (!move.takesEvidence && evidenceIds.length > 0) {
      throw invalid('Evidence is attached when a task moves to ready_for_review');
    }
    await this.assertEvidence(task, evidenceIds);
    if (move.needsComment && !comment) throw invalid('Say what is still missing (comment) when reopening a task');
    const changes: Partial<TaskEntity> = { status: dto.to };
    // Starting an unassigned task of one's role takes it.
    if (task.assigneeUserId === null && dto.to === 'in_progress') changes.assigneeUserId = actor.id;
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
      if (dto.to === 'ready_for_review') await this.events.record(tx, taskReadyForReview(task, actor.id, evidenceIds));
    });
    return this.detail(actor, { ...task, ...changes }, now);
  }

  /** The moves of the task's lifecycle from its status, each with whether this actor may make it now and why not. */
  async allowedMoves(actor: Actor, task: TaskEntity, events: TaskEventEntity[]): Promise<TaskMove[]> {
    const moves = await Promise.all(
      taskStatusMachine.allowedFrom(task.status).map((to) => this.moveFor(actor, task, to, events)),
    );
    return moves.map(({ refusal, ...move }) => ({
      ...move,
      allowed: refusal === null,
      refusal: refusal?.message ?? null,
    }));
  }

  private async detail(actor: Actor, task: TaskEntity, now: IsoTimestamp) {
    const events = await this.tasks.findEvents(task.id);
    return {
      ...toTaskView(task, now),
      events: events.map(toTaskEventView),
      allowedMoves: await this.allowedMoves(actor, task, events),
    };
  }

  private can(actor: Actor, permission: Permission): boolean {
    return this.permissions.can(actor, permission);
  }

  /** Without tasks:read-all a user sees only their own tasks and the unassigned ones of their role. */
  private reach(actor: Actor): TaskFilter['visibleTo'] {
    return this.can(actor, 'tasks:read-all') ? undefined : { userId: actor.id, role: actor.role };
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
      const codes = evidence && task.controlCode ? await this.evidence.findControlCodes(evidenceId) : [];
      const refusal = evidenceRefusal(task, evidence, codes, evidenceId);
      if (refusal) throw invalid(refusal);
    }
  }

  /**
   * Who may make which move: the one place the rules live, for the API and for the pages that offer the moves.
   * Ownership: without tasks:transition-all a user moves only their own task, or starts an unassigned one of their
   * role. Four eyes: closing or reopening needs tasks:verify and is never done by whoever did the work or submitted
   * it, and a task closes only once the evidence it was submitted with has been accepted.
   */
  private async moveFor(
    actor: Actor,
    task: TaskEntity,
    to: TaskStatus,
    events: TaskEventEntity[],
  ): Promise<Omit<TaskMove, 'allowed' | 'refusal'> & { refusal: DomainError | null }> {
    const move = {
      to,
      takesEvidence: to === 'ready_for_review',
      // A verifier's own submission is checked by another verifier; anyone else shows the verifier evidence.
      needsEvidence: to === 'ready_for_review' && NEEDS_EVIDENCE.has(task.kind) && !this.can(actor, 'tasks:verify'),
      needsComment: to === 'reopened',
    };
    return { ...move, refusal: await this.refusalOf(actor, task, to, events) };
  }

  private async refusalOf(
    actor: Actor,
    task: TaskEntity,
    to: TaskStatus,
    events: TaskEventEntity[],
  ): Promise<DomainError | null> {
    if (!this.can(actor, 'tasks:transition'))
      return forbidden('Moving a task needs the tasks:transition permission, which your role does not have');
    if (task.assigneeUserId === null && to === 'in_progress') {
      if (actor.role !== task.assigneeRole)
        return forbidden(`This task is for the ${task.assigneeRole} role; assign it before starting it`);
    } else if (!this.can(actor, 'tasks:transition-all') && task.assigneeUserId !== actor.id) {
      return forbidden('Start the task (in_progress) to take it before moving it further');
    }
    if (to !== 'done' && to !== 'reopened') return null;
    if (!this.can(actor, 'tasks:verify'))
      return forbidden('Closing or reopening a task needs the tasks:verify permission, which your role does not have');
    const submission = events.filter((e) => e.toStatus === 'ready_for_review').pop();
    if (submission?.actorId === actor.id || task.assigneeUserId === actor.id) {
      return forbidden('A task is verified by someone other than the person who did it or submitted it for review');
    }
    if (to !== 'done' || !submission) return null;
    for (const evidenceId of submission.evidenceIds) {
      const evidence = await this.evidence.findById(evidenceId);
      if (evidence?.reviewStatus !== 'accepted') {
        const name = evidence ? `"${evidence.title}"` : evidenceId;
        return conflict(
          `Evidence ${name} has not been accepted yet; review it before closing the task`,
          { evidenceId },
          'evidence_not_accepted',
        );
      }
    }
    return null;
  }
}
