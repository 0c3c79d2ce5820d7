import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AiSystemsQueries } from '../ai-systems/ai-systems.queries';
import { effectiveRiskTier } from '../ai-systems/applicability.service';
import { AiSystemEntity } from '../ai-systems/entities/ai-system.entity';
import { AuditLogService } from '../audit-log/audit-log.service';
import { AccessScope } from '../access-scope/access-scope.service';
import { CatalogIndex } from '../catalog/catalog-index';
import { Actor } from '../common/auth.decorators';
import { conflict, invalid, notFound } from '../common/domain-errors';
import { assertSomethingToChange } from '../common/validation';
import { CLOCK, Clock, iso } from '../common/time';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { TransactionRunner, Tx } from '../database/transaction-runner';
import { EvidenceQueries } from '../evidence/evidence.queries';
import { incidentOpened } from '../events/domain-events';
import { EventsService } from '../events/events.service';
import { TaskEntity } from '../tasks/entities/task.entity';
import { GeneratedTasks } from '../tasks/generated-tasks';
import { CreateIncidentDto, CreateNotificationDto, ListIncidentsQueryDto, UpdateIncidentDto } from './dto/incident.dto';
import {
  IncidentEntity,
  IncidentEventEntity,
  IncidentNotificationEntity,
  IncidentObligationEntity,
  IncidentStatus,
} from './entities/incident.entity';
import {
  ComputedObligation,
  computeObligations,
  diffObligations,
  IncidentFacts,
  ObligationChange,
  SystemFacts,
} from './incident-obligations';
import { IncidentReportRenderer, ReportEvidence, toReportModel } from './incident-report';
import { IncidentRules } from './incident-rules';
import { STATUS_TIMESTAMP, incidentStatusMachine } from './incident-status';
import {
  IncidentView,
  ObligationView,
  toIncidentSummary,
  toIncidentView,
  toNotificationView,
  toObligationView,
} from './incident.view';
import { IncidentsRepository } from './incidents.repository';

export const INCIDENT_RULES = Symbol('INCIDENT_RULES');

/** USPS codes of the States and jurisdictions 45 CFR 160.103 counts as a "State" (the 50, DC and the territories). */
export const US_STATES = new Set(
  'AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR VI GU AS MP'.split(
    ' ',
  ),
);
const ATLAS_FRAMEWORK = 'mitre-atlas';
const ATLAS_TECHNIQUE_LEVELS = new Set(['technique', 'sub-technique']);
const LIST_LIMIT = 100;

/** A refusal that names the rule it enforces, so clients can tell one from another. */
const refuse = (rule: string, message: string, extra: object = {}) =>
  invalid(`${message} (rule: ${rule})`, { rule, ...extra });

export type PackIncidentRecord = ReturnType<typeof toIncidentSummary> & {
  obligations: Array<ObligationView & { notifications: ReturnType<typeof toNotificationView>[] }>;
};

interface IncidentState {
  incident: IncidentEntity;
  systems: AiSystemEntity[];
  evidenceIds: string[];
}

/**
 * The incident register: facts, the obligations they call for under GDPR, HIPAA and the EU AI Act
 * (policies/incidents.yaml), notifications, tasks and the status lifecycle. Every write recomputes the obligations
 * and commits with its audit entry in one transaction; nothing is ever deleted.
 */
@Injectable()
export class IncidentsService {
  constructor(
    private readonly incidents: IncidentsRepository,
    private readonly systems: AiSystemsQueries,
    private readonly evidence: EvidenceQueries,
    private readonly tasks: GeneratedTasks,
    private readonly scope: AccessScope,
    private readonly index: CatalogIndex,
    private readonly tx: TransactionRunner,
    private readonly auditLog: AuditLogService,
    private readonly reports: IncidentReportRenderer,
    private readonly events: EventsService,
    @Inject(INCIDENT_RULES) private readonly rules: IncidentRules,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  get timeZone(): string {
    return this.config.timeZone;
  }

  async list(actor: Actor, query: ListIncidentsQueryDto) {
    const visibleSystemIds = await this.scope.visibleSystemIds(actor);
    const page = await this.incidents.findPage(
      { visibleSystemIds, status: query.status, systemId: query.systemId },
      query.limit ?? LIST_LIMIT,
      query.offset ?? 0,
    );
    const ids = page.items.map((i) => i.id);
    const [systemIds, obligations, notifications] = await Promise.all([
      this.incidents.findSystemIds(ids),
      this.incidents.findObligations(ids),
      this.incidents.findNotifications(ids),
    ]);
    const systems = new Map(
      (await this.systems.findByIds([...new Set([...systemIds.values()].flat())])).map((s) => [s.id, s]),
    );
    const now = iso(this.clock.now());
    return {
      total: page.total,
      timeZone: this.timeZone,
      items: page.items.map((incident) => {
        const views = obligations
          .filter((o) => o.incidentId === incident.id)
          .map((o) => toObligationView(o, notifications, now, this.timeZone));
        const mine = (systemIds.get(incident.id) ?? [])
          .map((id) => systems.get(id))
          .filter((s): s is AiSystemEntity => !!s);
        return toIncidentSummary(incident, mine, views, this.timeZone);
      }),
    };
  }

  /**
   * The incidents an evidence pack lists: those touching `systemIds` whose becameAwareAt or detectedAt falls in the
   * window and that were recorded by `asOf`, each with its obligations (as last computed) and their state and
   * notifications as of `asOf`. The pack, not an actor, asks: the pack's own scope already limits the systems.
   */
  async forPack(
    systemIds: string[],
    window: { from: string | null; to: string },
    asOf: string,
  ): Promise<PackIncidentRecord[]> {
    const found = await this.incidents.findForSystemsInWindow(systemIds, window.from, window.to, asOf);
    const ids = found.map((i) => i.id);
    const [systemIdsOf, obligations, notifications] = await Promise.all([
      this.incidents.findSystemIds(ids),
      this.incidents.findObligations(ids),
      this.incidents.findNotifications(ids),
    ]);
    const sent = notifications.filter((n) => n.recordedAt <= asOf);
    const systems = new Map(
      (await this.systems.findByIds([...new Set([...systemIdsOf.values()].flat())])).map((s) => [s.id, s]),
    );
    return found.map((incident) => {
      const mine = obligations.filter((o) => o.incidentId === incident.id);
      return {
        ...toIncidentSummary(
          incident,
          sortByName(
            (systemIdsOf.get(incident.id) ?? []).map((id) => systems.get(id)).filter((s): s is AiSystemEntity => !!s),
          ),
          [],
          this.timeZone,
        ),
        obligations: mine.map((o) => ({
          ...toObligationView(o, sent, asOf, this.timeZone),
          notifications: sent
            .filter((n) => n.obligationId === o.id)
            .map((n) => toNotificationView(n, mine, this.timeZone)),
        })),
      };
    });
  }

  async get(actor: Actor, id: string): Promise<IncidentView> {
    return this.view(await this.load(actor, id));
  }

  async create(actor: Actor, dto: CreateIncidentDto) {
    const now = iso(this.clock.now());
    const systems = await this.loadSystems(dto.systemIds);
    const incident = Object.assign(new IncidentEntity(), {
      id: randomUUID(),
      title: dto.title.trim(),
      description: dto.description?.trim() ?? '',
      detectedAt: iso(new Date(dto.detectedAt)),
      becameAwareAt: iso(new Date(dto.becameAwareAt)),
      reporter: dto.reporter.trim(),
      severity: dto.severity,
      status: 'open',
      categories: dto.categories ?? [],
      aiActKind: dto.aiActKind ?? null,
      aiActDeath: dto.aiActDeath ?? false,
      aiActRole: dto.aiActRole ?? null,
      gdprRisk: dto.gdprRisk ?? null,
      affectedCount: dto.affectedCount ?? null,
      affectedByState: dto.affectedByState ?? {},
      atlasTechniques: dto.atlasTechniques ?? [],
      reviewSummary: null,
      reviewControlsChanged: null,
      reviewedBy: null,
      reviewedAt: null,
      containedAt: null,
      resolvedAt: null,
      closedAt: null,
      revision: 1,
      createdBy: actor.id,
      createdAt: now,
      updatedAt: now,
    });
    const evidenceIds = dto.evidenceIds ?? [];
    await this.validate({ incident, systems, evidenceIds }, now);
    const computed = computeObligations(this.facts(incident, systems), this.rules, this.timeZone);
    const { next, changes } = diffObligations([], computed);
    await this.tx.run(async (tx) => {
      await this.incidents.insert(
        tx,
        incident,
        systems.map((s) => s.id),
        evidenceIds,
      );
      const obligations = await this.saveObligations(tx, incident.id, [], next, now);
      const tasks = await this.openTasks(tx, incident, systems, obligations, [], now);
      await this.incidents.insertEvents(tx, [
        this.event(incident.id, now, actor, 'created', `Recorded by ${actor.email}; ${describeChanges(changes)}`),
      ]);
      await this.auditLog.append(tx, {
        actor: actor.email,
        action: 'incident.create',
        entityType: 'incident',
        entityId: incident.id,
        payload: {
          incident,
          systemIds: systems.map((s) => s.id),
          evidenceIds,
          obligations: next,
          tasks: tasks.map((t) => t.id),
        },
      });
      await this.events.record(
        tx,
        incidentOpened(
          incident,
          systems.map((s) => s.id),
          actor.id,
        ),
      );
    });
    return { ...(await this.view({ incident, systems, evidenceIds })), obligationChanges: changes };
  }

  async update(actor: Actor, id: string, dto: UpdateIncidentDto) {
    assertSomethingToChange(dto);
    const current = await this.load(actor, id);
    if (current.incident.status === 'closed')
      throw conflict('This incident is closed; a closed incident does not change (rule: closed_is_final)', {
        rule: 'closed_is_final',
      });
    const now = iso(this.clock.now());
    const changes: Partial<IncidentEntity> = {};
    const set = <K extends keyof IncidentEntity>(key: K, value: IncidentEntity[K] | undefined) => {
      if (value !== undefined && JSON.stringify(value) !== JSON.stringify(current.incident[key])) changes[key] = value;
    };
    set('title', dto.title?.trim());
    set('description', dto.description?.trim());
    set('detectedAt', dto.detectedAt === undefined ? undefined : iso(new Date(dto.detectedAt)));
    set('becameAwareAt', dto.becameAwareAt === undefined ? undefined : iso(new Date(dto.becameAwareAt)));
    set('reporter', dto.reporter?.trim());
    set('severity', dto.severity);
    set('categories', dto.categories);
    set('aiActKind', dto.aiActKind);
    set('aiActDeath', dto.aiActDeath);
    set('aiActRole', dto.aiActRole);
    set('gdprRisk', dto.gdprRisk);
    set('affectedCount', dto.affectedCount);
    set('affectedByState', dto.affectedByState);
    set('atlasTechniques', dto.atlasTechniques);
    if (dto.review) {
      changes.reviewSummary = dto.review.summary.trim();
      changes.reviewControlsChanged = dto.review.controlsChanged;
      changes.reviewedBy = actor.id;
      changes.reviewedAt = now;
    }
    const to = dto.status !== undefined && dto.status !== current.incident.status ? dto.status : undefined;
    if (to) {
      incidentStatusMachine.assertMove(current.incident.status, to);
      changes[STATUS_TIMESTAMP[to as Exclude<IncidentStatus, 'open'>]] = now;
    }
    const systems = dto.systemIds ? await this.loadSystems(dto.systemIds) : current.systems;
    const systemsChanged =
      dto.systemIds !== undefined &&
      sameIds(
        dto.systemIds,
        current.systems.map((s) => s.id),
      ) === false;
    const evidenceChanged = dto.evidenceIds !== undefined && !sameIds(dto.evidenceIds, current.evidenceIds);
    const nextState: IncidentState = {
      incident: { ...current.incident, ...changes },
      systems,
      evidenceIds: dto.evidenceIds ?? current.evidenceIds,
    };
    await this.validate(nextState, now);
    const stored = await this.incidents.findObligations([id]);
    const notifications = await this.incidents.findNotifications([id]);
    const computed = computeObligations(this.facts(nextState.incident, systems), this.rules, this.timeZone);
    const { next, changes: obligationChanges } = diffObligations(stored.map(asComputed), computed);
    // A recompute alone is a change only when the systems' answers moved the obligations since the last write.
    if (Object.keys(changes).length === 0 && !systemsChanged && !evidenceChanged && obligationChanges.length === 0) {
      throw invalid(
        dto.recompute
          ? "Nothing to recompute: the obligations already follow the systems' current answers"
          : 'Nothing to change: every value sent is the one recorded',
      );
    }
    if (to === 'closed') this.assertClosable(nextState.incident, next, stored, notifications);
    changes.updatedAt = now;
    await this.tx.run(async (tx) => {
      await this.incidents.update(tx, current.incident, changes, to);
      if (systemsChanged)
        await this.incidents.replaceSystems(
          tx,
          id,
          systems.map((s) => s.id),
        );
      if (evidenceChanged) await this.incidents.replaceEvidence(tx, id, nextState.evidenceIds);
      const obligations = await this.saveObligations(tx, id, stored, next, now);
      const tasks =
        to === 'closed' ? [] : await this.openTasks(tx, nextState.incident, systems, obligations, notifications, now);
      const events: IncidentEventEntity[] = [];
      const factNames = Object.keys(changes).filter(
        (k) =>
          ![
            'updatedAt',
            'containedAt',
            'resolvedAt',
            'closedAt',
            'reviewSummary',
            'reviewControlsChanged',
            'reviewedBy',
            'reviewedAt',
          ].includes(k),
      );
      if (systemsChanged) factNames.push('systems');
      if (evidenceChanged) factNames.push('evidence');
      if (!factNames.length && obligationChanges.length)
        events.push(
          this.event(
            id,
            now,
            actor,
            'facts_changed',
            `Recomputed from the systems' current answers; ${describeChanges(obligationChanges)}`,
          ),
        );
      if (factNames.length)
        events.push(
          this.event(
            id,
            now,
            actor,
            'facts_changed',
            `Changed ${factNames.join(', ')}${obligationChanges.length ? `; ${describeChanges(obligationChanges)}` : '; obligations unchanged'}`,
          ),
        );
      if (dto.review)
        events.push(
          this.event(
            id,
            now,
            actor,
            'review',
            `Post-incident review recorded; controls changed: ${dto.review.controlsChanged.join(', ')}`,
          ),
        );
      if (to) events.push(this.event(id, now, actor, 'status_changed', `${current.incident.status} -> ${to}`));
      await this.incidents.insertEvents(tx, events);
      await this.auditLog.append(tx, {
        actor: actor.email,
        action: to ? 'incident.transition' : 'incident.update',
        entityType: 'incident',
        entityId: id,
        payload: {
          changes,
          systemIds: systemsChanged ? systems.map((s) => s.id) : undefined,
          evidenceIds: evidenceChanged ? nextState.evidenceIds : undefined,
          obligationChanges,
          tasks: tasks.map((t) => t.id),
        },
      });
    });
    const updated = await this.incidents.findById(id);
    return {
      ...(await this.view({ incident: updated!, systems, evidenceIds: nextState.evidenceIds })),
      obligationChanges,
    };
  }

  async notify(actor: Actor, id: string, dto: CreateNotificationDto) {
    const current = await this.load(actor, id);
    const { incident } = current;
    if (incident.status === 'closed')
      throw conflict('This incident is closed; a closed incident does not change (rule: closed_is_final)', {
        rule: 'closed_is_final',
      });
    const obligations = await this.incidents.findObligations([id]);
    const obligation = obligations.find((o) => o.id === dto.obligationId);
    if (!obligation)
      throw refuse(
        'obligation_of_incident',
        `Obligation ${dto.obligationId} is not one of this incident's obligations`,
      );
    if (!obligation.required) {
      throw conflict(
        `${obligation.legalBasis} is not required for this incident: ${obligation.notRequiredReason} (rule: notify_required_obligation)`,
        { rule: 'notify_required_obligation' },
      );
    }
    const now = iso(this.clock.now());
    const sentAt = iso(new Date(dto.sentAt));
    if (sentAt > now)
      throw refuse('sent_not_in_future', 'sentAt cannot be in the future: record a notification once it is sent');
    if (sentAt < incident.detectedAt)
      throw refuse('sent_after_detected', 'sentAt cannot be before the incident was detected');
    const late = obligation.dueAt !== null && sentAt > obligation.dueAt;
    const lateReason = dto.lateReason?.trim() || null;
    if (late && !lateReason) {
      throw refuse(
        'late_needs_reason',
        `This notification was sent after ${obligation.legalBasis} fell due (${obligation.dueAt}); say why in lateReason`,
        { dueAt: obligation.dueAt },
      );
    }
    if (!late && lateReason)
      throw refuse(
        'late_reason_only_when_late',
        'lateReason is for a notification sent after the due time; this one was sent in time',
      );
    if (dto.evidenceId) await this.assertEvidence([dto.evidenceId], current.systems);
    const notification = Object.assign(new IncidentNotificationEntity(), {
      id: randomUUID(),
      incidentId: id,
      obligationId: obligation.id,
      recipient: dto.recipient.trim(),
      sentAt,
      channel: dto.channel,
      reference: dto.reference?.trim() ?? '',
      sender: dto.sender?.trim() || actor.displayName,
      evidenceId: dto.evidenceId ?? null,
      late,
      lateReason,
      recordedBy: actor.id,
      recordedAt: now,
    });
    await this.tx.run(async (tx) => {
      // The incident row is the lock: a fact change that makes this obligation not required cannot interleave.
      await this.incidents.update(tx, incident, { updatedAt: now });
      await this.incidents.insertNotification(tx, notification);
      await this.incidents.insertEvents(tx, [
        this.event(
          id,
          now,
          actor,
          'notification',
          `${obligation.legalBasis}: ${notification.recipient} notified by ${notification.channel} at ${sentAt}${late ? ` (late: ${lateReason})` : ''}`,
        ),
      ]);
      await this.auditLog.append(tx, {
        actor: actor.email,
        action: 'incident.notification',
        entityType: 'incident',
        entityId: id,
        payload: notification,
      });
    });
    const view = toNotificationView(notification, obligations, this.timeZone);
    return { ...view, obligation: toObligationView(obligation, [notification], now, this.timeZone) };
  }

  /** The incident report as a PDF, printed now, as the records stand. */
  async report(actor: Actor, id: string): Promise<{ pdf: Buffer; filename: string }> {
    const state = await this.load(actor, id);
    const view = await this.view(state);
    const ids = [
      ...new Set([...view.evidenceIds, ...view.notifications.map((n) => n.evidenceId).filter((e): e is string => !!e)]),
    ];
    const evidence: ReportEvidence[] = [];
    for (const evidenceId of ids) {
      const e = await this.evidence.findById(evidenceId);
      if (e) evidence.push({ id: e.id, title: e.title, sha256: e.sha256 });
    }
    const pdf = await this.reports.render(toReportModel(view, evidence, iso(this.clock.now())));
    return { pdf, filename: `incident-report-${id}.pdf` };
  }

  /** The incident if the actor may see it: auditors only those touching a system of their audits; 404 otherwise. */
  async load(actor: Actor, id: string): Promise<IncidentState> {
    const incident = await this.incidents.findById(id);
    if (!incident) throw notFound('Incident', id);
    const systemIds = (await this.incidents.findSystemIds([id])).get(id) ?? [];
    const visible = await this.scope.visibleSystemIds(actor);
    if (visible && !systemIds.some((s) => visible.includes(s))) throw notFound('Incident', id);
    const [systems, evidenceIds] = await Promise.all([
      this.systems.findByIds(systemIds),
      this.incidents.findEvidenceIds(id),
    ]);
    return { incident, systems: sortByName(systems), evidenceIds };
  }

  async view(state: IncidentState): Promise<IncidentView> {
    const { incident } = state;
    const [obligations, notifications, events] = await Promise.all([
      this.incidents.findObligations([incident.id]),
      this.incidents.findNotifications([incident.id]),
      this.incidents.findEvents(incident.id),
    ]);
    const now = iso(this.clock.now());
    // What a write would change now: a system's roles may have been answered or changed since the last one.
    const pending =
      incident.status === 'closed'
        ? []
        : diffObligations(
            obligations.map(asComputed),
            computeObligations(this.facts(incident, state.systems), this.rules, this.timeZone),
          ).changes;
    return toIncidentView(incident, {
      pendingObligationChanges: pending,
      systems: sortByName(state.systems),
      evidenceIds: state.evidenceIds,
      obligations: obligations.map((o) => toObligationView(o, notifications, now, this.timeZone)),
      notifications: notifications.map((n) => toNotificationView(n, obligations, this.timeZone)),
      events,
      timeZone: this.timeZone,
    });
  }

  /** The facts the rules read: the incident's own and, per system, its roles (the AI Act role from the system when it records one). */
  facts(incident: IncidentEntity, systems: AiSystemEntity[]): IncidentFacts {
    return {
      categories: incident.categories,
      becameAwareAt: incident.becameAwareAt,
      aiActKind: incident.aiActKind,
      aiActDeath: incident.aiActDeath,
      gdprRisk: incident.gdprRisk,
      affectedCount: incident.affectedCount,
      affectedByState: incident.affectedByState,
      systems: systems.map((s) => systemFacts(s, incident)),
    };
  }

  private async loadSystems(ids: string[]): Promise<AiSystemEntity[]> {
    const systems = await this.systems.findByIds(ids);
    const missing = ids.filter((id) => !systems.some((s) => s.id === id));
    if (missing.length) throw refuse('systems_exist', `AI system ${missing.join(', ')} does not exist`);
    return sortByName(systems);
  }

  /** The rules an incident's facts must satisfy, checked before anything is stored. */
  private async validate({ incident, systems, evidenceIds }: IncidentState, now: string): Promise<void> {
    if (incident.becameAwareAt < incident.detectedAt) {
      throw refuse(
        'aware_after_detected',
        'becameAwareAt cannot be before detectedAt: the organisation cannot become aware of an incident before it is detected',
        {
          detectedAt: incident.detectedAt,
          becameAwareAt: incident.becameAwareAt,
        },
      );
    }
    if (incident.detectedAt > now || incident.becameAwareAt > now)
      throw refuse('not_in_future', 'detectedAt and becameAwareAt cannot be in the future');
    const aiAct = incident.categories.includes('ai_act_serious_incident');
    if (aiAct && !incident.aiActKind)
      throw refuse('ai_act_kind_required', 'An AI Act serious incident needs its kind (aiActKind, Art. 3(49))');
    if (!aiAct && incident.aiActKind)
      throw refuse('ai_act_kind_required', 'aiActKind is only for an incident in the category ai_act_serious_incident');
    if (incident.aiActDeath && incident.aiActKind !== 'death_or_serious_harm_to_health') {
      throw refuse('death_needs_kind', 'aiActDeath is only for the kind death_or_serious_harm_to_health');
    }
    let stateTotal = 0;
    for (const [state, count] of Object.entries(incident.affectedByState)) {
      if (!US_STATES.has(state))
        throw refuse(
          'known_state_code',
          `affectedByState: "${state}" is not the USPS code of a US State or jurisdiction`,
          { field: `affectedByState.${state}` },
        );
      if (typeof count !== 'number' || !Number.isInteger(count))
        throw refuse('count_whole_number', `affectedByState.${state} must be a whole number`, {
          field: `affectedByState.${state}`,
        });
      if (count < 0)
        throw refuse('count_not_negative', `affectedByState.${state} cannot be below zero`, {
          field: `affectedByState.${state}`,
        });
      stateTotal += count;
    }
    if (incident.affectedCount !== null && stateTotal > incident.affectedCount) {
      throw refuse(
        'state_counts_within_total',
        `The per-State counts add up to ${stateTotal}, more than the ${incident.affectedCount} people affected`,
      );
    }
    if (incident.atlasTechniques.length) await this.assertAtlas(incident.atlasTechniques);
    if (evidenceIds.length) await this.assertEvidence(evidenceIds, systems);
    if (incident.reviewControlsChanged) {
      const catalog = await this.index.get();
      const unknown = incident.reviewControlsChanged.filter((code) => !catalog.controlByCode.has(code));
      if (unknown.length)
        throw refuse(
          'review_controls_known',
          `The review names controls that are not in the control library: ${unknown.join(', ')}`,
        );
    }
  }

  /** Technique ids of the loaded MITRE ATLAS catalog, when one is loaded; the id pattern is checked by the DTO either way. */
  private async assertAtlas(ids: string[]): Promise<void> {
    const catalog = await this.index.get();
    if (!catalog.frameworkByKey.has(ATLAS_FRAMEWORK)) return;
    const known = new Set(
      catalog.requirements
        .filter((r) => r.frameworkKey === ATLAS_FRAMEWORK && ATLAS_TECHNIQUE_LEVELS.has(r.level))
        .map((r) => r.ref),
    );
    const unknown = ids.filter((id) => !known.has(id));
    if (unknown.length)
      throw refuse('atlas_technique_known', `Not a technique of the loaded MITRE ATLAS catalog: ${unknown.join(', ')}`);
  }

  private async assertEvidence(ids: string[], systems: AiSystemEntity[]): Promise<void> {
    const systemIds = new Set(systems.map((s) => s.id));
    for (const id of ids) {
      const evidence = await this.evidence.findById(id);
      if (!evidence || !systemIds.has(evidence.systemId))
        throw refuse('evidence_of_incident_systems', `Evidence ${id} is not evidence of this incident's systems`);
    }
  }

  private assertClosable(
    incident: IncidentEntity,
    next: ComputedObligation[],
    stored: IncidentObligationEntity[],
    notifications: IncidentNotificationEntity[],
  ): void {
    if (!incident.reviewSummary || !incident.reviewControlsChanged?.length) {
      throw refuse(
        'close_needs_review',
        'Closing needs a post-incident review (review.summary and review.controlsChanged naming the controls changed)',
      );
    }
    const notified = new Set(notifications.map((n) => stored.find((o) => o.id === n.obligationId)?.key));
    const open = next.filter((o) => o.required && !notified.has(o.key));
    if (open.length) {
      throw conflict(
        `Closing needs every required obligation met; still open: ${open.map((o) => o.legalBasis).join('; ')} (rule: close_needs_obligations_met)`,
        {
          rule: 'close_needs_obligations_met',
          open: open.map((o) => o.key),
        },
      );
    }
  }

  private async saveObligations(
    tx: Tx,
    incidentId: string,
    stored: IncidentObligationEntity[],
    next: ComputedObligation[],
    now: string,
  ): Promise<IncidentObligationEntity[]> {
    const byKey = new Map(stored.map((o) => [o.key, o]));
    const inserts: IncidentObligationEntity[] = [];
    const updates: IncidentObligationEntity[] = [];
    const all: IncidentObligationEntity[] = [];
    for (const o of next) {
      const old = byKey.get(o.key);
      const row = Object.assign(new IncidentObligationEntity(), {
        id: old?.id ?? randomUUID(),
        incidentId,
        key: o.key,
        ruleId: o.ruleId,
        regime: o.regime,
        legalBasis: o.legalBasis,
        title: o.title.slice(0, 400),
        recipient: o.recipient.slice(0, 400),
        required: o.required,
        notRequiredReason: o.notRequiredReason,
        dueAt: o.dueAt,
        timing: o.timing,
        counting: o.counting,
        assumptions: o.assumptions,
        createdAt: old?.createdAt ?? now,
        updatedAt: now,
      });
      all.push(row);
      if (!old) inserts.push(row);
      else if (JSON.stringify(asComputed(old)) !== JSON.stringify(asComputed(row))) updates.push(row);
    }
    await this.incidents.saveObligations(tx, inserts, updates);
    return all;
  }

  /**
   * A notification task per required obligation without a notification, on the incident's first system (by name),
   * for the role policies/incidents.yaml names; keyed like the sweep's, so a task is opened once per obligation while
   * unfinished. A held task follows a changed due time, and says so when its obligation is no longer required.
   */
  private async openTasks(
    tx: Tx,
    incident: IncidentEntity,
    systems: AiSystemEntity[],
    obligations: IncidentObligationEntity[],
    notifications: IncidentNotificationEntity[],
    now: string,
  ): Promise<TaskEntity[]> {
    const notified = new Set(notifications.map((n) => n.obligationId));
    const keyOf = (o: IncidentObligationEntity) => `incident:${incident.id}:${o.key}`;
    const held = new Map((await this.tasks.findHeld(obligations.map(keyOf), tx)).map((t) => [t.openSourceKey!, t]));
    const fresh: TaskEntity[] = [];
    for (const o of obligations) {
      const task = held.get(keyOf(o));
      const open = o.required && !notified.has(o.id);
      if (task) {
        const description = taskDescription(incident, o, systems[0]);
        if (task.dueDate !== o.dueAt || task.description !== description)
          await this.tasks.follow(tx, task, { dueDate: o.dueAt, description, updatedAt: now });
        continue;
      }
      if (!open) continue;
      fresh.push(
        Object.assign(new TaskEntity(), {
          id: randomUUID(),
          systemId: systems[0].id,
          controlCode: null,
          kind: 'notification',
          title: `${o.legalBasis}: ${o.title}`.slice(0, 200),
          description: taskDescription(incident, o, systems[0]),
          assigneeRole: this.rules.taskAssigneeRole,
          assigneeUserId: null,
          dueDate: o.dueAt,
          // No fixed period means "at once"; a period of a week or less leaves no slack either.
          priority:
            o.dueAt === null || Date.parse(o.dueAt) - Date.parse(incident.becameAwareAt) <= 7 * 86_400_000
              ? 'critical'
              : 'high',
          status: 'open',
          openSourceKey: keyOf(o),
          createdBy: 'incident-register',
          createdAt: now,
          updatedAt: now,
        }),
      );
    }
    if (fresh.length === 0) return [];
    await this.tasks.insert(tx, fresh);
    await this.auditLog.append(tx, {
      actor: 'incident-register',
      action: 'task.generate',
      entityType: 'ai_system',
      entityId: systems[0].id,
      payload: {
        incidentId: incident.id,
        tasks: fresh.map((t) => ({
          id: t.id,
          kind: t.kind,
          openSourceKey: t.openSourceKey,
          assigneeRole: t.assigneeRole,
          dueDate: t.dueDate,
        })),
      },
    });
    return fresh;
  }

  private event(incidentId: string, at: string, actor: Actor, kind: string, summary: string): IncidentEventEntity {
    return Object.assign(new IncidentEventEntity(), {
      id: randomUUID(),
      incidentId,
      at,
      actor: actor.email,
      kind,
      summary,
    });
  }
}

function systemFacts(system: AiSystemEntity, incident: IncidentEntity): SystemFacts {
  // The system's own AI Act role wins; the incident's stands in while the system's question is unanswered.
  const systemRole = system.aiActRole;
  const nexus = system.aiActEuNexus;
  const art3 = [system.gdprEstablishment, system.gdprOffersToEu, system.gdprMonitorsEu];
  return {
    id: system.id,
    name: system.name,
    gdprRole: system.gdprRole,
    gdprTerritorial: art3.includes(true) ? true : art3.every((a) => a === false) ? false : null,
    hipaaRole: system.hipaaRole,
    aiActRole: systemRole ?? incident.aiActRole,
    aiActRoleSource: systemRole ? 'system' : incident.aiActRole ? 'incident' : null,
    aiActEuNexus: nexus,
    riskTier: effectiveRiskTier(system),
  };
}

function taskDescription(incident: IncidentEntity, o: IncidentObligationEntity, system: AiSystemEntity): string {
  const status = o.required ? `${o.timing}. ${o.counting}.` : `No longer required: ${o.notRequiredReason}`;
  return `Incident "${incident.title}" (/incidents/${incident.id}), system ${system.name} (owner: ${system.owner}). ${o.legalBasis}: ${o.title}. ${status}`.slice(
    0,
    4000,
  );
}

function asComputed(o: IncidentObligationEntity): ComputedObligation {
  return {
    key: o.key,
    ruleId: o.ruleId,
    regime: o.regime as ComputedObligation['regime'],
    legalBasis: o.legalBasis,
    title: o.title,
    recipient: o.recipient,
    required: o.required,
    notRequiredReason: o.notRequiredReason,
    dueAt: o.dueAt,
    timing: o.timing,
    counting: o.counting,
    assumptions: o.assumptions,
  };
}

function describeChanges(changes: ObligationChange[]): string {
  if (changes.length === 0) return 'no obligations';
  const words: Record<ObligationChange['change'], string> = {
    added: 'added',
    now_required: 'now required',
    now_not_required: 'no longer required',
    due_changed: 'due time changed',
    basis_changed: 'period changed',
  };
  return changes
    .map((c) => `${c.legalBasis} ${c.change === 'added' && !c.after.required ? 'not required' : words[c.change]}`)
    .join('; ');
}

function sameIds(a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().join() === [...b].sort().join();
}

function sortByName(systems: AiSystemEntity[]): AiSystemEntity[] {
  return [...systems].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}
