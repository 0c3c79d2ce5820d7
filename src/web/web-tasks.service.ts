import { Injectable } from '@nestjs/common';
import { AiSystemsService } from '../ai-systems/ai-systems.service';
import { Actor } from '../common/auth.decorators';
import { ControlsService } from '../controls/controls.service';
import { EVIDENCE_KINDS } from '../evidence/entities/evidence.entity';
import { EvidenceService } from '../evidence/evidence.service';
import { RolePermissionsProvider } from '../common/role-permissions.provider';
import { TASK_PRIORITIES, TASK_SORTS, TASK_STATUSES, TaskSort } from '../tasks/entities/task.entity';
import { TasksService } from '../tasks/tasks.service';
import { UsersService } from '../users/users.service';
import { TasksFilterDto, TaskTransitionFormDto } from './dto/web-forms.dto';
import { formRefusal } from './web-errors';
import { WebOutcome } from './web-outcome';
import { WebLayout } from './web-layout.service';

const SYSTEM_NAMES_LIMIT = 500;
const TASKS_PAGE = 50;
const CSV_LIMIT = 500;
const SORT_LABELS: Readonly<Record<TaskSort, string>> = {
  due: 'due date (soonest first)',
  priority: 'priority (critical first)',
  updated: 'last changed (newest first)',
  created: 'opened (newest first)',
};

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
    const page = Number(filter.page ?? '1');
    const query = {
      status: filter.status,
      overdue: filter.overdue,
      systemId: filter.systemId,
      priority: filter.priority,
      sort: filter.sort,
      ...(filter.assignee === 'me' ? { assignee: 'me' as const } : { assigneeUserId: filter.assignee }),
    };
    const [result, names, users] = await Promise.all([
      this.tasks.list(actor, { ...query, limit: TASKS_PAGE, offset: (page - 1) * TASKS_PAGE }),
      this.systemNames(actor),
      this.users.list(),
    ]);
    const all = TASK_STATUSES.reduce((sum, status) => sum + result.counts[status], 0);
    const ownOnly = !this.permissions.can(actor, 'tasks:read-all');
    const nameOf = new Map(users.map((u) => [u.id, u.displayName]));
    // The same filter as query parameters: for the paging links and the CSV download of exactly this list.
    const params = (extra: Record<string, string>) =>
      new URLSearchParams(
        Object.entries({ ...filter, overdue: filter.overdue ? 'true' : undefined, page: undefined, ...extra }).filter(
          (entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== '',
        ),
      ).toString();
    const pages = Math.max(1, Math.ceil(result.total / TASKS_PAGE));
    return this.layout.page(actor, ownOnly ? 'My tasks' : 'Tasks', {
      tasks: result.items.map((task) => ({
        ...task,
        systemName: names.get(task.systemId) ?? 'AI system',
        assigneeName: task.assigneeUserId
          ? (nameOf.get(task.assigneeUserId) ?? 'another user')
          : `any ${task.assigneeRole.replace(/_/g, ' ')}`,
        mine: task.assigneeUserId === actor.id,
      })),
      showAssignee: true,
      total: result.total,
      all,
      counts: TASK_STATUSES.map((status) => ({
        status,
        count: result.counts[status],
        active: filter.status === status,
      })),
      overdue: result.overdue,
      filter,
      filtered: Boolean(filter.status || filter.overdue || filter.systemId || filter.assignee || filter.priority),
      statuses: TASK_STATUSES,
      priorities: TASK_PRIORITIES,
      sorts: TASK_SORTS.map((value) => ({
        value,
        label: SORT_LABELS[value],
        selected: (filter.sort ?? 'due') === value,
      })),
      systems: [...names].map(([id, name]) => ({ id, name, selected: filter.systemId === id })),
      assignees: [
        { value: 'me', label: 'me', selected: filter.assignee === 'me' },
        ...(ownOnly
          ? []
          : users
              .filter((u) => !u.disabled)
              .map((u) => ({ value: u.id, label: u.displayName, selected: filter.assignee === u.id }))),
      ],
      paging: {
        page,
        pages,
        previous: page > 1 ? `/tasks?${params({ page: String(page - 1) })}` : null,
        next: page < pages ? `/tasks?${params({ page: String(page + 1) })}` : null,
      },
      csvUrl: `/api/v1/tasks?${apiQuery(filter)}`,
      ownOnly,
    });
  }

  async taskDetail(actor: Actor, id: string, formError: string | null = null) {
    const task = await this.tasks.get(actor, id);
    const moves = task.allowedMoves.filter((m) => m.allowed);
    const [system, controls, evidence, users, attachable, supported] = await Promise.all([
      this.systems.get(actor, task.systemId),
      task.controlCode ? this.controls.listForSystem(actor, task.systemId) : Promise.resolve([]),
      this.evidence.listForSystem(actor, task.systemId),
      this.users.list(),
      moves.some((m) => m.takesEvidence) ? this.tasks.attachableEvidence(actor, id) : Promise.resolve([]),
      this.supportedRequirements(actor, task),
    ]);
    const nameOf = new Map(users.map((u) => [u.id, u.displayName]));
    const titleOf = new Map(evidence.map((e) => [e.id, e.title]));
    const control = controls.find((c) => c.controlCode === task.controlCode) ?? null;
    // The evidence of the latest submission for review, with its review: who decided, why, and the decisions the
    // signed-in user may take here (the evidence service's reviewMoves, as on the system page).
    const submission = task.events.filter((e) => e.to === 'ready_for_review').pop();
    const submitted = submission
      ? evidence
          .filter((e) => submission.evidenceIds.includes(e.id))
          .map((e) => ({
            ...e,
            reviewerName: e.reviewedBy ? (nameOf.get(e.reviewedBy) ?? 'a reviewer') : null,
            reviewMoves: e.allowedMoves.filter((m) => m.allowed).map((m) => m.decision),
          }))
      : [];
    // Closing a remediation task offers the control's next status (STYLE 15: the moves the control's own machine allows).
    const controlMoves =
      task.kind === 'remediation' && control && this.permissions.can(actor, 'controls:write')
        ? control.allowedTransitions.map((status) => ({ status, selected: status === 'implemented' }))
        : [];
    return this.layout.page(actor, task.title, {
      task: { ...task, assigneeName: task.assigneeUserId ? (nameOf.get(task.assigneeUserId) ?? 'another user') : null },
      system,
      control,
      events: task.events.map((e) => ({
        ...e,
        actorName: nameOf.get(e.actorId) ?? e.actorId,
        evidence: e.evidenceIds.map((evidenceId) => ({ id: evidenceId, title: titleOf.get(evidenceId) ?? evidenceId })),
      })),
      moves: moves.map((m) => ({ ...m, controlMoves: m.to === 'done' ? controlMoves : [] })),
      // A move the lifecycle has next but this user may not make now, with the service's reason (e.g. evidence that
      // still waits for review before the task can close).
      refusedMoves: task.allowedMoves.filter((m) => !m.allowed),
      attachable,
      // Upload straight from the task: system and control fixed, back to the task afterwards (issue 17.13).
      upload:
        task.controlCode && task.status !== 'done' && this.permissions.can(actor, 'evidence:upload') && !system.archived
          ? { kinds: EVIDENCE_KINDS, today: new Date().toISOString().slice(0, 10) }
          : null,
      submitted,
      supported,
      formError,
    });
  }

  async transition(actor: Actor, id: string, form: TaskTransitionFormDto): Promise<WebOutcome> {
    const task = await this.tasks.get(actor, id);
    const code = task.controlCode;
    const setControl = form.to === 'done' && code && form.controlStatus ? form.controlStatus : null;
    const before = setControl ? await this.supportedRequirements(actor, task) : [];
    try {
      await this.tasks.transition(actor, id, { to: form.to, comment: form.comment, evidenceIds: form.evidenceIds });
    } catch (error) {
      const refusal = formRefusal(error);
      return { view: 'task', status: refusal.status, model: await this.taskDetail(actor, id, refusal.message) };
    }
    if (!setControl || !code) return { redirect: `/tasks/${id}` };
    try {
      await this.controls.update(actor, task.systemId, code, { status: setControl });
    } catch (error) {
      const refusal = formRefusal(error);
      return {
        redirect: `/tasks/${id}`,
        flash: {
          kind: 'error',
          text: `The task is done, but ${code} could not be set to ${words(setControl)}: ${refusal.message}`,
        },
      };
    }
    const after = await this.supportedRequirements(actor, task);
    return { redirect: `/tasks/${id}`, flash: { kind: 'ok', text: coverageChange(code, setControl, before, after) } };
  }

  /** The requirements the task's control maps to for its system, with their coverage now (empty without a control). */
  private async supportedRequirements(actor: Actor, task: { systemId: string; controlCode: string | null }) {
    if (!task.controlCode) return [];
    const coverage = await this.controls.coverageOf(actor, task.systemId);
    return coverage.frameworks
      .filter((f) => f.applies)
      .flatMap((f) =>
        f.requirements
          .filter((r) => r.controls.some((c) => c.code === task.controlCode))
          .map((r) => ({
            key: `${f.framework}:${r.ref}`,
            framework: f.name,
            ref: r.ref,
            title: r.title,
            status: r.status,
          })),
      );
  }

  private async systemNames(actor: Actor): Promise<Map<string, string>> {
    const { items } = await this.systems.list(actor, { limit: SYSTEM_NAMES_LIMIT, offset: 0, includeArchived: true });
    return new Map(items.map((s) => [s.id, s.name]));
  }
}

const words = (value: string) => value.replace(/_/g, ' ');

/** "AIG-OPS-08 is now implemented. Coverage: GDPR Art. 32 gap → covered; …", or that no requirement changed (and why that can be). */
export function coverageChange(
  code: string,
  status: string,
  before: { key: string; framework: string; ref: string; status: string }[],
  after: { key: string; framework: string; ref: string; status: string }[],
): string {
  const was = new Map(before.map((r) => [r.key, r.status]));
  const changed = after.filter((r) => was.get(r.key) !== undefined && was.get(r.key) !== r.status);
  const head = `Task done; ${code} is now ${words(status)}.`;
  if (!changed.length)
    return `${head} No requirement changed its coverage: it also needs current accepted evidence, or other controls of a jointly sufficient set.`;
  const list = changed.map((r) => `${r.framework} ${r.ref}: ${words(was.get(r.key)!)} → ${words(r.status)}`);
  return `${head} Coverage changed for ${changed.length} requirement${changed.length === 1 ? '' : 's'}: ${list.join('; ')}.`;
}

/** The web filter as the API's query (the API names a user assignee `assigneeUserId`), for a CSV of this list. */
function apiQuery(filter: TasksFilterDto): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries({
    status: filter.status,
    systemId: filter.systemId,
    priority: filter.priority,
    sort: filter.sort,
    overdue: filter.overdue ? 'true' : undefined,
  }))
    if (value) query.set(key, value);
  if (filter.assignee === 'me') query.set('assignee', 'me');
  else if (filter.assignee) query.set('assigneeUserId', filter.assignee);
  query.set('format', 'csv');
  query.set('limit', String(CSV_LIMIT));
  return query.toString();
}
