import { Injectable } from '@nestjs/common';
import { AiSystemsService } from '../ai-systems/ai-systems.service';
import { Actor } from '../common/auth.decorators';
import { ControlsService } from '../controls/controls.service';
import { EvidenceService } from '../evidence/evidence.service';
import { RolePermissionsProvider } from '../auth/role-permissions.provider';
import { TASK_STATUSES, TaskStatus } from '../tasks/entities/task.entity';
import { TasksService } from '../tasks/tasks.service';
import { UsersService } from '../users/users.service';
import { TasksFilterDto, TaskTransitionFormDto } from './dto/web-forms.dto';
import { formRefusal } from './web-errors';
import { WebOutcome } from './web-outcome';
import { WebPagesService } from './web-pages.service';

const VERIFIER_ROLES = new Set(['governance_specialist', 'admin']);
const SYSTEM_NAMES_LIMIT = 500;

type TaskDetail = Awaited<ReturnType<TasksService['get']>>;

/** The task pages: "my tasks" and one task with the moves the signed-in user may make. */
@Injectable()
export class WebTasksService {
  constructor(
    private readonly pages: WebPagesService,
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
    return this.pages.page(actor, actor.role === 'engineer' ? 'My tasks' : 'Tasks', {
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
      engineer: actor.role === 'engineer',
    });
  }

  async taskDetail(actor: Actor, id: string, formError: string | null = null) {
    const task = await this.tasks.get(actor, id);
    const [system, controls, evidence, users] = await Promise.all([
      this.systems.get(actor, task.systemId),
      task.controlCode ? this.controls.listForSystem(actor, task.systemId) : Promise.resolve([]),
      this.evidence.listForSystem(actor, task.systemId),
      this.users.list(),
    ]);
    const nameOf = new Map(users.map((u) => [u.id, u.displayName]));
    const titleOf = new Map(evidence.map((e) => [e.id, e.title]));
    // What the service would accept as supporting evidence: current, not rejected, linked to the task's control.
    const attachable = evidence.filter(
      (e) =>
        !e.supersededById &&
        e.reviewStatus !== 'rejected' &&
        (!task.controlCode || e.controlCodes.includes(task.controlCode)),
    );
    return this.pages.page(actor, task.title, {
      task: { ...task, assigneeName: task.assigneeUserId ? (nameOf.get(task.assigneeUserId) ?? 'another user') : null },
      system,
      control: controls.find((c) => c.controlCode === task.controlCode) ?? null,
      events: task.events.map((e) => ({
        ...e,
        actorName: nameOf.get(e.actorId) ?? e.actorId,
        evidence: e.evidenceIds.map((evidenceId) => ({ id: evidenceId, title: titleOf.get(evidenceId) ?? evidenceId })),
      })),
      moves: this.movesFor(actor, task).map((to) => ({
        to,
        needsEvidence: to === 'ready_for_review',
        needsComment: to === 'reopened',
      })),
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

  /**
   * Which moves to offer as buttons: the lifecycle's next steps, less those TasksService would refuse this user
   * (an engineer moves only their own task, or starts an unassigned one of their role; verification is four-eyes).
   * The service still decides; this only keeps the page from offering doomed forms.
   */
  private movesFor(actor: Actor, task: TaskDetail): TaskStatus[] {
    if (!this.permissions.allows(actor.role, 'tasks:transition')) return [];
    const submitter = task.events.filter((e) => e.to === 'ready_for_review').pop()?.actorId;
    return task.allowedTransitions.filter((to) => {
      if (task.assigneeUserId === null && to === 'in_progress') return actor.role === task.assigneeRole;
      if (actor.role === 'engineer' && task.assigneeUserId !== actor.id) return false;
      if (to === 'done' || to === 'reopened')
        return VERIFIER_ROLES.has(actor.role) && submitter !== actor.id && task.assigneeUserId !== actor.id;
      return true;
    });
  }

  private async systemNames(actor: Actor): Promise<Map<string, string>> {
    const { items } = await this.systems.list(actor, { limit: SYSTEM_NAMES_LIMIT, offset: 0, includeArchived: true });
    return new Map(items.map((s) => [s.id, s.name]));
  }
}
