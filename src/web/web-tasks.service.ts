import { Injectable } from '@nestjs/common';
import { AiSystemsService } from '../ai-systems/ai-systems.service';
import { Actor } from '../common/auth.decorators';
import { ControlsService } from '../controls/controls.service';
import { EvidenceService } from '../evidence/evidence.service';
import { RolePermissionsProvider } from '../common/role-permissions.provider';
import { TASK_STATUSES } from '../tasks/entities/task.entity';
import { TasksService } from '../tasks/tasks.service';
import { UsersService } from '../users/users.service';
import { TasksFilterDto, TaskTransitionFormDto } from './dto/web-forms.dto';
import { formRefusal } from './web-errors';
import { WebOutcome } from './web-outcome';
import { WebLayout } from './web-layout.service';

const SYSTEM_NAMES_LIMIT = 500;

/** The task pages: "my tasks" and one task with the moves the signed-in user may make. */
@Injectable()
export class WebTasksService {
  constructor(
    private readonly layout: WebLayout,
    private readonly tasks: TasksService,
    private readonly systems: AiSystemsService,
    private readonly controls: ControlsService,
    private readonly evidence: EvidenceService,
    private readonly users: UsersService,
    private readonly permissions: RolePermissionsProvider,
  ) {}

  async taskList(actor: Actor, filter: TasksFilterDto) {
    const [result, names] = await Promise.all([
      this.tasks.list(actor, { status: filter.status, overdue: filter.overdue, limit: 200 }),
      this.systemNames(actor),
    ]);
    const all = TASK_STATUSES.reduce((sum, status) => sum + result.counts[status], 0);
    const ownOnly = !this.permissions.can(actor, 'tasks:read-all');
    return this.layout.page(actor, ownOnly ? 'My tasks' : 'Tasks', {
      tasks: result.items.map((task) => ({
        ...task,
        systemName: names.get(task.systemId) ?? 'AI system',
        mine: task.assigneeUserId === actor.id,
      })),
      total: result.total,
      all,
      counts: TASK_STATUSES.map((status) => ({
        status,
        count: result.counts[status],
        active: filter.status === status,
      })),
      overdue: result.overdue,
      filter,
      filtered: Boolean(filter.status || filter.overdue),
      statuses: TASK_STATUSES,
      ownOnly,
    });
  }

  async taskDetail(actor: Actor, id: string, formError: string | null = null) {
    const task = await this.tasks.get(actor, id);
    const moves = task.allowedMoves.filter((m) => m.allowed);
    const [system, controls, evidence, users, attachable] = await Promise.all([
      this.systems.get(actor, task.systemId),
      task.controlCode ? this.controls.listForSystem(actor, task.systemId) : Promise.resolve([]),
      this.evidence.listForSystem(actor, task.systemId),
      this.users.list(),
      moves.some((m) => m.takesEvidence) ? this.tasks.attachableEvidence(actor, id) : Promise.resolve([]),
    ]);
    const nameOf = new Map(users.map((u) => [u.id, u.displayName]));
    const titleOf = new Map(evidence.map((e) => [e.id, e.title]));
    return this.layout.page(actor, task.title, {
      task: { ...task, assigneeName: task.assigneeUserId ? (nameOf.get(task.assigneeUserId) ?? 'another user') : null },
      system,
      control: controls.find((c) => c.controlCode === task.controlCode) ?? null,
      events: task.events.map((e) => ({
        ...e,
        actorName: nameOf.get(e.actorId) ?? e.actorId,
        evidence: e.evidenceIds.map((evidenceId) => ({ id: evidenceId, title: titleOf.get(evidenceId) ?? evidenceId })),
      })),
      moves,
      // A move the lifecycle has next but this user may not make now, with the service's reason (e.g. evidence that
      // still waits for review before the task can close).
      refusedMoves: task.allowedMoves.filter((m) => !m.allowed),
      attachable,
      formError,
    });
  }

  async transition(actor: Actor, id: string, form: TaskTransitionFormDto): Promise<WebOutcome> {
    try {
      await this.tasks.transition(actor, id, { to: form.to, comment: form.comment, evidenceIds: form.evidenceIds });
      return { redirect: `/tasks/${id}` };
    } catch (error) {
      const refusal = formRefusal(error);
      return { view: 'task', status: refusal.status, model: await this.taskDetail(actor, id, refusal.message) };
    }
  }

  private async systemNames(actor: Actor): Promise<Map<string, string>> {
    const { items } = await this.systems.list(actor, { limit: SYSTEM_NAMES_LIMIT, offset: 0, includeArchived: true });
    return new Map(items.map((s) => [s.id, s.name]));
  }
}
