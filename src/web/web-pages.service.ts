import { Injectable } from '@nestjs/common';
import type { SystemView } from '../ai-systems/ai-system.view';
import { AiSystemsService } from '../ai-systems/ai-systems.service';
import { ObligationsService } from '../controls/obligations.service';
import { CreateAiSystemDto, UpdateAiSystemDto } from '../ai-systems/dto/ai-system.dto';
import { AuditCheckpointService } from '../audit-log/audit-checkpoint.service';
import { AuditLogService } from '../audit-log/audit-log.service';
import { AuditsService } from '../audits/audits.service';
import { CatalogService } from '../catalog/catalog.service';
import { RolePermissionsProvider } from '../common/role-permissions.provider';
import { Actor } from '../common/auth.decorators';
import { DomainError } from '../common/domain-errors';
import { ControlsService } from '../controls/controls.service';
import { CoverageSummaryService } from '../controls/coverage-summary.service';
import { CoverageTrendService } from '../controls/coverage-trend.service';
import { IMPLEMENTATION_STATUSES } from '../controls/entities/control-implementation.entity';
import { EVIDENCE_KINDS } from '../evidence/entities/evidence.entity';
import { EvidenceService } from '../evidence/evidence.service';
import { EvaluationMetricsService } from '../controls/evaluation-metrics.service';
import { IncidentsService } from '../incidents/incidents.service';
import { TasksService } from '../tasks/tasks.service';
import {
  ControlsFilterDto,
  ControlStatusFormDto,
  EvidenceReviewFormDto,
  SystemFormDto,
  SystemsFilterDto,
} from './dto/web-forms.dto';
import {
  applicabilityAnswers,
  applicabilityQuestions,
  errorSummary,
  FieldErrors,
  formValues,
  parseSystemForm,
  SYSTEM_FORM_CHOICES,
  withLabels,
} from './system-form';
import { ThreatModelService } from '../threats/threat-model.service';
import { countdown } from './incident-countdown';
import { WebLayout } from './web-layout.service';
import { formRefusal } from './web-errors';
import { WebOutcome } from './web-outcome';
import { WebPacksService } from './web-packs.service';
import { safeBack } from './web-session.service';

// Systems per dashboard page (?page=N).
const DASHBOARD_SYSTEMS = 50;
const SYSTEMS_PAGE = 50;
const EXPIRING_DAYS = 30;
const DASHBOARD_EXPIRING = 20;
const DASHBOARD_TASKS = 20;
const DASHBOARD_INCIDENTS = 50;

/**
 * Builds the view models of the UI pages from the same services the API uses; it never touches the database or
 * calls the API over HTTP, so the pages and the API enforce the same rules and scoping.
 */
@Injectable()
export class WebPagesService {
  constructor(
    private readonly systems: AiSystemsService,
    private readonly controls: ControlsService,
    private readonly evidence: EvidenceService,
    private readonly catalog: CatalogService,
    private readonly evaluationMetrics: EvaluationMetricsService,
    private readonly auditLog: AuditLogService,
    private readonly checkpoints: AuditCheckpointService,
    private readonly tasks: TasksService,
    private readonly audits: AuditsService,
    private readonly packs: WebPacksService,
    private readonly layout: WebLayout,
    private readonly permissions: RolePermissionsProvider,
    private readonly incidents: IncidentsService,
    private readonly threats: ThreatModelService,
    private readonly obligations: ObligationsService,
    private readonly summaries: CoverageSummaryService,
    private readonly trend: CoverageTrendService,
  ) {}

  /**
   * A user scoped to their audits (no systems:read-all) sees those audits and the packs ready to download; one who
   * works only their own tasks (no tasks:read-all) sees those; everyone else the coverage overview.
   */
  async dashboard(actor: Actor, page = 1) {
    const systemList = async () => (await this.systems.list(actor, { limit: DASHBOARD_SYSTEMS, offset: 0 })).items;
    if (!this.permissions.can(actor, 'systems:read-all')) {
      const items = await systemList();
      const canAudits = this.permissions.can(actor, 'audits:read');
      const canPacks = this.permissions.can(actor, 'packs:read');
      const [audits, readyPacks] = await Promise.all([
        canAudits ? this.audits.list(actor) : Promise.resolve({ items: [], total: 0 }),
        canPacks ? this.packs.readyPacks(actor) : Promise.resolve([]),
      ]);
      return this.layout.page(actor, 'Dashboard', {
        auditScoped: true,
        auditCount: audits.total,
        audits: audits.items,
        readyPacks,
        systems: items,
      });
    }
    if (!this.permissions.can(actor, 'tasks:read-all') && this.permissions.can(actor, 'tasks:read')) {
      const [items, mine] = await Promise.all([systemList(), this.tasks.list(actor, { limit: DASHBOARD_TASKS })]);
      const systemName = new Map(items.map((s) => [s.id, s.name]));
      const open = mine.items
        .filter((t) => t.status !== 'done')
        .map((t) => ({ ...t, systemName: systemName.get(t.systemId) ?? 'AI system' }));
      return this.layout.page(actor, 'Dashboard', {
        ownTasks: true,
        systems: items,
        myTasks: open,
        overdueTasks: mine.overdue,
      });
    }
    // Every system, a page at a time, from the stored coverage summaries (not computed per view), with the tier
    // counts from the same grouped read. Risk first (issue 17.10): counts that open the filtered lists, coverage per
    // framework and its trend from the daily snapshots, the evidence that expires within 30 days.
    const canTasks = this.permissions.can(actor, 'tasks:read');
    const canIncidents = this.permissions.can(actor, 'incidents:read');
    // Today's snapshot copies the summaries, so it waits for the page read to compute any that are missing.
    const summaryPage = this.summaries.page(page, DASHBOARD_SYSTEMS);
    const [{ rows, total, tiers }, trend, expiring, overdueTasks, incidentDeadlines] = await Promise.all([
      summaryPage,
      summaryPage.then(() => this.trend.snapshotToday()).then(() => this.trend.trend()),
      this.evidence.expiringSoon(actor, EXPIRING_DAYS, DASHBOARD_EXPIRING),
      canTasks ? this.tasks.countOverdue(actor) : Promise.resolve(0),
      canIncidents ? this.incidentDeadlines(actor) : Promise.resolve([]),
    ]);
    const frameworkNames = new Map(rows.flatMap((r) => r.frameworks.map((f) => [f.framework, f.name] as const)));
    const pages = Math.max(1, Math.ceil(total / DASHBOARD_SYSTEMS));
    return this.layout.page(actor, 'Dashboard', {
      overview: true,
      rows,
      total,
      paging: {
        page,
        pages,
        many: pages > 1,
        first: total === 0 ? 0 : (page - 1) * DASHBOARD_SYSTEMS + 1,
        last: Math.min(total, page * DASHBOARD_SYSTEMS),
        previous: page > 1 ? page - 1 : null,
        next: page < pages ? page + 1 : null,
        // The oldest summary on the page: the figures hold at least as of then.
        asOf: rows.map((r) => r.computedAt).sort()[0] ?? null,
      },
      overdueTasks,
      incidentDeadlines,
      tiers,
      totals: {
        gaps: trend.reduce((sum, f) => sum + f.latest.gap, 0),
        frameworks: trend.map((f) => ({
          ...f,
          name: frameworkNames.get(f.framework) ?? f.framework,
          since: f.points[0]?.day ?? null,
          days: f.points.length,
        })),
      },
      expiring,
      expiringDays: EXPIRING_DAYS,
    });
  }

  /** The next open obligation of each incident not yet closed, soonest first, with its countdown. */
  private async incidentDeadlines(actor: Actor) {
    const { items } = await this.incidents.list(actor, { limit: DASHBOARD_INCIDENTS });
    return items
      .filter((i) => i.status !== 'closed' && i.nextDue)
      .map((i) => ({
        id: i.id,
        title: i.title,
        due: i.nextDue!,
        countdown: countdown(i.nextDue!.msUntilDue, true),
        dueEpoch: i.nextDue!.dueAt ? Date.parse(i.nextDue!.dueAt) : null,
      }))
      .sort((a, b) => (a.due.dueAt ?? '').localeCompare(b.due.dueAt ?? ''));
  }

  async systemList(actor: Actor, filter: SystemsFilterDto) {
    const page = Number(filter.page ?? '1');
    const { page: _page, ...query } = filter;
    const [{ items, total }, frameworks] = await Promise.all([
      this.systems.list(actor, { ...query, limit: SYSTEMS_PAGE, offset: (page - 1) * SYSTEMS_PAGE }),
      this.catalog.frameworks(),
    ]);
    const filtered = Boolean(filter.q || filter.lifecycleStage || filter.riskTier || filter.framework);
    const pages = Math.max(1, Math.ceil(total / SYSTEMS_PAGE));
    const link = (to: number) =>
      `/systems?${new URLSearchParams(
        Object.entries({ ...query, page: String(to) }).filter((e): e is [string, string] => Boolean(e[1])),
      ).toString()}`;
    return this.layout.page(actor, 'AI systems', {
      systems: items,
      total,
      filter,
      filtered,
      choices: SYSTEM_FORM_CHOICES,
      frameworks: frameworks.map((f) => ({ key: f.key, name: f.name, selected: f.key === filter.framework })),
      sorts: [
        { value: 'name', label: 'name', selected: (filter.sort ?? 'name') === 'name' },
        { value: 'risk', label: 'risk tier (highest first)', selected: filter.sort === 'risk' },
        { value: 'updated', label: 'last changed', selected: filter.sort === 'updated' },
      ],
      paging: { page, pages, previous: page > 1 ? link(page - 1) : null, next: page < pages ? link(page + 1) : null },
    });
  }

  newSystem(actor: Actor) {
    return this.systemForm(actor, null, formValues(null), {});
  }

  async createSystem(actor: Actor, form: SystemFormDto): Promise<WebOutcome> {
    const parsed = await parseSystemForm(form, CreateAiSystemDto);
    if (!parsed.dto) return this.formAgain(actor, null, form, parsed.errors);
    try {
      const created = await this.systems.create(actor, parsed.dto);
      return { redirect: `/systems/${created.id}` };
    } catch (error) {
      return this.formAgainOnInvalid(actor, null, form, error);
    }
  }

  async editSystem(actor: Actor, id: string) {
    const system = await this.systems.get(actor, id);
    return this.systemForm(actor, system, formValues(system), {});
  }

  async updateSystem(actor: Actor, id: string, form: SystemFormDto): Promise<WebOutcome> {
    const system = await this.systems.get(actor, id);
    const parsed = await parseSystemForm(form, UpdateAiSystemDto);
    if (!parsed.dto) return this.formAgain(actor, system, form, parsed.errors);
    try {
      await this.systems.update(actor, id, parsed.dto);
      return { redirect: `/systems/${id}` };
    } catch (error) {
      return this.formAgainOnInvalid(actor, system, form, error);
    }
  }

  async systemDetail(actor: Actor, id: string) {
    const [system, applicability, coverage, evidence, controls, threatModel, obligations, evaluationMetrics] =
      await Promise.all([
        this.systems.get(actor, id),
        this.systems.applicabilityOf(actor, id),
        this.controls.coverageOf(actor, id),
        this.evidence.listForSystem(actor, id),
        this.controls.listForSystem(actor, id),
        this.threats.forActor(actor, id),
        this.obligations.obligationsOf(actor, id),
        this.evaluationMetrics.forSystem(actor, id),
      ]);
    return this.layout.page(actor, system.name, {
      system,
      frameworks: applicability.frameworks,
      reviewFacts: applicability.reviewFacts,
      answers: applicabilityAnswers(system),
      coverage: coverage.frameworks.filter((f) => f.applies),
      evidence,
      controlCodes: controls.map((c) => ({ code: c.controlCode, title: c.title })),
      evidenceKinds: EVIDENCE_KINDS,
      threatModel,
      obligations,
      evaluationMetrics,
      today: new Date().toISOString().slice(0, 10),
    });
  }

  async systemControls(actor: Actor, id: string, formError: string | null = null, filter: ControlsFilterDto = {}) {
    const [system, all] = await Promise.all([this.systems.get(actor, id), this.controls.listForSystem(actor, id)]);
    const ownerOf = (c: (typeof all)[number]) => c.ownerName ?? c.ownerRole ?? '';
    const controls = all.filter(
      (c) =>
        (!filter.status || c.status === filter.status) &&
        (!filter.domain || c.domain === filter.domain) &&
        (!filter.owner || ownerOf(c) === filter.owner),
    );
    const counts = IMPLEMENTATION_STATUSES.map((status) => ({
      status,
      count: all.filter((c) => c.status === status).length,
    }));
    const choices = (values: string[], selected?: string) =>
      [...new Set(values.filter(Boolean))].sort().map((value) => ({ value, selected: value === selected }));
    return this.layout.page(actor, `Controls — ${system.name}`, {
      system,
      controls: controls.map((c) => ({ ...c, ownerLabel: ownerOf(c) })),
      total: all.length,
      filtered: Boolean(filter.status || filter.domain || filter.owner),
      filter,
      statuses: IMPLEMENTATION_STATUSES.map((value) => ({ value, selected: value === filter.status })),
      domains: choices(
        all.map((c) => c.domain ?? ''),
        filter.domain,
      ),
      owners: choices(all.map(ownerOf), filter.owner),
      csvUrl: `/api/v1/systems/${id}/controls?format=csv`,
      counts,
      formError,
    });
  }

  /**
   * Post/redirect/get both ways: the new status confirmed in words, a refusal explained on the controls page; the
   * browser never stays on the POST address (a reload would post again). The current status means no change.
   */
  async changeControl(actor: Actor, id: string, code: string, form: ControlStatusFormDto): Promise<WebOutcome> {
    const back = `/systems/${id}/controls#control-${code}`;
    const current = (await this.controls.listForSystem(actor, id)).find((c) => c.controlCode === code);
    if (current && current.status === form.status)
      return {
        redirect: back,
        flash: { kind: 'ok', text: `No change: ${code} stays ${form.status.replace(/_/g, ' ')}.` },
      };
    try {
      await this.controls.update(actor, id, code, {
        status: form.status,
        ...(form.justification ? { justification: form.justification } : {}),
      });
      return { redirect: back, flash: { kind: 'ok', text: `Saved: ${code} now ${form.status.replace(/_/g, ' ')}.` } };
    } catch (error) {
      const refusal = formRefusal(error);
      return { redirect: back, flash: { kind: 'error', text: `${code} was not changed: ${refusal.message}` } };
    }
  }

  async reviewEvidence(actor: Actor, id: string, form: EvidenceReviewFormDto): Promise<WebOutcome> {
    const reviewed = await this.evidence.review(actor, id, { decision: form.decision, comment: form.comment });
    // Back to the page the review was taken on (the task page reviews its submission), else the system's evidence.
    const back = safeBack(form.back, `/systems/${reviewed.systemId}#evidence`);
    const text =
      form.decision === 'accepted'
        ? `Accepted “${reviewed.title}”.`
        : `Rejected “${reviewed.title}”${form.comment ? `: ${form.comment}` : ''}. The uploader sees the reason.`;
    return { redirect: back, flash: { kind: 'ok', text } };
  }

  async auditLogPage(actor: Actor) {
    // From the last signed checkpoint, as pack assembly does: a view costs the entries since then, not the whole log
    // (issue 18.1); the full walk stays in GET /api/v1/audit-log/verify and npm run audit:verify.
    const [chain, entries] = await Promise.all([
      this.checkpoints.verifyAndCheckpoint(),
      this.auditLog.list(actor, {}, 100),
    ]);
    return this.layout.page(actor, 'Audit log', {
      chain,
      entries: entries.map((e) => ({
        seq: e.seq,
        at: e.at,
        actor: e.actor,
        action: e.action,
        entityType: e.entityType,
        entityId: e.entityId,
        hash: e.hash,
      })),
    });
  }

  private systemForm(
    actor: Actor,
    system: SystemView | null,
    values: Record<string, unknown>,
    errors: FieldErrors,
    formError: string | null = null,
  ) {
    return this.layout.page(actor, system ? `Edit ${system.name}` : 'New AI system', {
      system,
      action: system ? `/systems/${system.id}` : '/systems',
      values,
      questions: applicabilityQuestions(values, system?.applicabilityReviewFacts ?? [], errors),
      errors,
      errorList: errorSummary(errors),
      hasErrors: Object.keys(errors).length > 0 || formError !== null,
      formError,
      choices: SYSTEM_FORM_CHOICES,
    });
  }

  private formAgain(
    actor: Actor,
    system: SystemView | null,
    form: SystemFormDto,
    errors: FieldErrors,
    formError: string | null = null,
  ): WebOutcome {
    return {
      view: 'system-form',
      status: 400,
      model: this.systemForm(actor, system, formValues(form), errors, formError),
    };
  }

  /** A rule only the service knows (an override without justification) comes back as a message on the form. */
  private formAgainOnInvalid(actor: Actor, system: SystemView | null, form: SystemFormDto, error: unknown): WebOutcome {
    if (!(error instanceof DomainError) || error.kind !== 'invalid') throw error;
    return this.formAgain(actor, system, form, {}, withLabels(error.message));
  }
}
