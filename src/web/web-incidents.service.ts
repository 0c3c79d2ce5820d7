import { Inject, Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { DateTime } from 'luxon';
import { AiSystemsService } from '../ai-systems/ai-systems.service';
import { RolePermissionsProvider } from '../common/role-permissions.provider';
import { Actor } from '../common/auth.decorators';
import { CLOCK, Clock } from '../common/time';
import { EvidenceService } from '../evidence/evidence.service';
import { CreateIncidentDto, CreateNotificationDto, UpdateIncidentDto } from '../incidents/dto/incident.dto';
import {
  AI_ACT_KINDS,
  AI_ACT_ROLES,
  GDPR_RISKS,
  INCIDENT_CATEGORIES,
  INCIDENT_SEVERITIES,
  NOTIFICATION_CHANNELS,
} from '../incidents/entities/incident.entity';
import type { ObligationView } from '../incidents/incident.view';
import { IncidentsService } from '../incidents/incidents.service';
import { IncidentFormDto, IncidentMoveFormDto, NotificationFormDto } from './dto/incident-forms.dto';
import { formRefusal } from './web-errors';
import { countdown } from './incident-countdown';
import { WebOutcome } from './web-outcome';
import { WebLayout } from './web-layout.service';

const SYSTEMS_LIMIT = 500;
const LIST_LIMIT = 200;
const CATEGORY_LABELS: Record<string, string> = {
  personal_data_breach: 'Personal data breach (GDPR Art. 4(12))',
  ephi_breach: 'Breach of unsecured PHI (45 CFR 164.402)',
  ai_act_serious_incident: 'Serious incident of an AI system (EU AI Act Art. 3(49))',
};

type FieldErrors = Record<string, string[]>;

/** The incident pages: the register with countdowns, the form to record one, and an incident with its obligations. */
@Injectable()
export class WebIncidentsService {
  constructor(
    private readonly layout: WebLayout,
    private readonly incidents: IncidentsService,
    private readonly systems: AiSystemsService,
    private readonly evidence: EvidenceService,
    private readonly permissions: RolePermissionsProvider,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(actor: Actor) {
    const { items, total } = await this.incidents.list(actor, { limit: LIST_LIMIT, offset: 0 });
    return this.layout.page(actor, 'Incidents', {
      canWrite: this.permissions.can(actor, 'incidents:write'),
      timeZone: this.incidents.timeZone,
      total,
      incidents: items.map((i) => ({
        ...i,
        nextDue: i.nextDue ? this.obligationRow(i.nextDue) : null,
        open: i.status !== 'closed',
      })),
    });
  }

  async newIncident(
    actor: Actor,
    errors: FieldErrors = {},
    formError: string | null = null,
    values: IncidentFormDto = {},
  ) {
    const systems = await this.systems.list(actor, { limit: SYSTEMS_LIMIT, offset: 0 });
    const now = DateTime.fromJSDate(this.clock.now()).setZone(this.incidents.timeZone).toFormat("yyyy-MM-dd'T'HH:mm");
    return this.layout.page(actor, 'Record an incident', {
      timeZone: this.incidents.timeZone,
      systems: systems.items.map((s) => ({
        id: s.id,
        name: s.name,
        checked: values.systemIds?.includes(s.id) ?? false,
      })),
      categories: INCIDENT_CATEGORIES.map((c) => ({
        value: c,
        label: CATEGORY_LABELS[c],
        checked: values.categories?.includes(c) ?? false,
      })),
      choices: {
        severities: INCIDENT_SEVERITIES,
        aiActKinds: AI_ACT_KINDS,
        aiActRoles: AI_ACT_ROLES,
        gdprRisks: GDPR_RISKS,
      },
      values: {
        detectedAt: now,
        becameAwareAt: now,
        severity: 'high',
        ...values,
        aiActDeath: values.aiActDeath === 'yes',
      },
      errors,
      formError,
    });
  }

  async create(actor: Actor, form: IncidentFormDto): Promise<WebOutcome> {
    const again = async (status: number, errors: FieldErrors, message: string | null): Promise<WebOutcome> => ({
      view: 'incident-form',
      status,
      model: await this.newIncident(actor, errors, message, form),
    });
    const parsed = this.parseIncident(form);
    if (Object.keys(parsed.errors).length)
      return again(400, parsed.errors, 'Some answers need another look; see the fields marked below.');
    const checked = await validated(CreateIncidentDto, parsed.plain);
    if (checked.errors)
      return again(400, checked.errors, 'Some answers need another look; see the fields marked below.');
    try {
      const created = await this.incidents.create(actor, checked.dto);
      return { redirect: `/incidents/${created.id}` };
    } catch (error) {
      const refusal = formRefusal(error);
      return again(refusal.status, {}, refusal.message);
    }
  }

  async detail(actor: Actor, id: string, formError: string | null = null, values: NotificationFormDto = {}) {
    const incident = await this.incidents.get(actor, id);
    const canWrite = this.permissions.can(actor, 'incidents:write') && incident.status !== 'closed';
    const evidence = canWrite
      ? (await Promise.all(incident.systems.map((s) => this.evidence.listForSystem(actor, s.id)))).flat()
      : [];
    const notifiable = incident.obligations.filter((o) => o.required);
    const sentAtDefault = DateTime.fromJSDate(this.clock.now())
      .setZone(incident.timeZone)
      .toFormat("yyyy-MM-dd'T'HH:mm");
    return this.layout.page(actor, `Incident — ${incident.title}`, {
      incident: {
        ...incident,
        categoryLabels: incident.categories.map((c) => CATEGORY_LABELS[c]),
        stateCounts: Object.entries(incident.affectedByState).map(([state, count]) => ({ state, count })),
      },
      obligations: incident.obligations.map((o) => this.obligationRow(o)),
      notifications: incident.notifications,
      canWrite,
      notifiable: notifiable.map((o) => ({
        id: o.id,
        label: `${o.legalBasis}: ${o.title}${o.state === 'done' ? ' (already notified)' : ''}`,
        selected: values.obligationId === o.id,
      })),
      channels: NOTIFICATION_CHANNELS,
      evidence: evidence.map((e) => ({ id: e.id, title: e.title, selected: values.evidenceId === e.id })),
      moves: incident.allowedMoves,
      closing: incident.allowedMoves.includes('closed'),
      values: { sentAt: sentAtDefault, sender: actor.displayName, ...values },
      formError,
      reportUrl: `/api/v1/incidents/${incident.id}/report`,
    });
  }

  async notify(actor: Actor, id: string, form: NotificationFormDto): Promise<WebOutcome> {
    const again = async (status: number, message: string): Promise<WebOutcome> => ({
      view: 'incident',
      status,
      model: await this.detail(actor, id, message, form),
    });
    const sentAt = this.localInstant(form.sentAt);
    const checked = await validated(CreateNotificationDto, {
      obligationId: form.obligationId || undefined,
      recipient: form.recipient?.trim() || undefined,
      sentAt: sentAt ?? form.sentAt,
      channel: form.channel || undefined,
      reference: form.reference?.trim() || undefined,
      sender: form.sender?.trim() || undefined,
      evidenceId: form.evidenceId || undefined,
      lateReason: form.lateReason?.trim() || undefined,
    });
    if (checked.errors)
      return again(400, `The notification was not recorded: ${Object.values(checked.errors).flat().join('; ')}`);
    try {
      await this.incidents.notify(actor, id, checked.dto);
      return { redirect: `/incidents/${id}#notifications` };
    } catch (error) {
      const refusal = formRefusal(error);
      return again(refusal.status, refusal.message);
    }
  }

  async move(actor: Actor, id: string, form: IncidentMoveFormDto): Promise<WebOutcome> {
    const again = async (status: number, message: string): Promise<WebOutcome> => ({
      view: 'incident',
      status,
      model: await this.detail(actor, id, message),
    });
    const controls = (form.reviewControls ?? '').split(/[\s,;]+/).filter(Boolean);
    const review =
      form.reviewSummary?.trim() || controls.length
        ? { summary: form.reviewSummary?.trim() ?? '', controlsChanged: controls }
        : undefined;
    const checked = await validated(
      UpdateIncidentDto,
      form.recompute === 'yes' ? { recompute: true } : { status: form.status || undefined, review },
    );
    if (checked.errors)
      return again(400, `The incident did not move: ${Object.values(checked.errors).flat().join('; ')}`);
    try {
      await this.incidents.update(actor, id, checked.dto);
      return { redirect: `/incidents/${id}` };
    } catch (error) {
      const refusal = formRefusal(error);
      return again(refusal.status, refusal.message);
    }
  }

  private obligationRow(o: ObligationView) {
    const open = o.state === 'due' || o.state === 'late';
    return {
      ...o,
      open,
      countdown: countdown(o.msUntilDue, open),
      dueEpoch: open && o.dueAt ? Date.parse(o.dueAt) : null,
    };
  }

  /** The form's values as the API's CreateIncidentDto would receive them; field errors for what cannot be read. */
  private parseIncident(form: IncidentFormDto): { plain: Record<string, unknown>; errors: FieldErrors } {
    const errors: FieldErrors = {};
    const text = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value.trim());
    const instant = (field: 'detectedAt' | 'becameAwareAt') => {
      const raw = text(form[field]);
      if (raw === undefined) return undefined;
      const at = this.localInstant(raw);
      if (!at) errors[field] = [`${field} must be a date and time`];
      return at ?? raw;
    };
    const count = text(form.affectedCount);
    const states: Record<string, number> = {};
    for (const part of (form.affectedByState ?? '')
      .split(/[,;\n]+/)
      .map((p) => p.trim())
      .filter(Boolean)) {
      const match = /^([A-Za-z]{2})\s*[:=]\s*(-?\d+)$/.exec(part);
      if (!match) {
        errors.affectedByState = [`"${part}" is not a State and a count, such as CA=600`];
        continue;
      }
      states[match[1].toUpperCase()] = Number(match[2]);
    }
    const plain = {
      systemIds: form.systemIds ?? [],
      title: text(form.title),
      description: text(form.description),
      detectedAt: instant('detectedAt'),
      becameAwareAt: instant('becameAwareAt'),
      reporter: text(form.reporter),
      severity: text(form.severity),
      categories: form.categories ?? [],
      aiActKind: text(form.aiActKind),
      aiActDeath: form.aiActDeath === 'yes' ? true : undefined,
      aiActRole: text(form.aiActRole),
      gdprRisk: text(form.gdprRisk),
      affectedCount: count === undefined ? undefined : /^-?\d+$/.test(count) ? Number(count) : count,
      affectedByState: states,
      atlasTechniques: (form.atlasTechniques ?? '').split(/[\s,;]+/).filter(Boolean),
    };
    return { plain, errors };
  }

  /** A datetime-local value ("2026-12-01T10:30") read as a wall time in WORKBENCH_TIME_ZONE; null if not one. */
  private localInstant(value: string | undefined): string | null {
    if (!value || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null;
    const at = DateTime.fromISO(value, { zone: this.incidents.timeZone });
    return at.isValid ? new Date(at.toMillis()).toISOString() : null;
  }
}

/** The form's plain values validated with the API's own DTO, so both paths accept the same data. */
async function validated<T extends object>(
  dtoClass: new () => T,
  plain: object,
): Promise<{ dto: T; errors: null } | { dto: null; errors: FieldErrors }> {
  const dto = plainToInstance(dtoClass, plain);
  const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
  return errors.length ? { dto: null, errors: fieldErrors(errors) } : { dto, errors: null };
}

function fieldErrors(errors: ValidationError[], prefix = ''): FieldErrors {
  const out: FieldErrors = {};
  for (const error of errors) {
    if (error.constraints) out[`${prefix}${error.property}`] = Object.values(error.constraints);
    if (error.children?.length) Object.assign(out, fieldErrors(error.children, `${prefix}${error.property}.`));
  }
  return out;
}
