import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { AiSystemsService } from '../ai-systems/ai-systems.service';
import { AUDIT_TYPES } from '../audits/entities/audit.entity';
import { CreateAuditDto } from '../audits/dto/audit.dto';
import { AuditsService } from '../audits/audits.service';
import { AccessScope } from '../access-scope/access-scope.service';
import { CatalogService } from '../catalog/catalog.service';
import { Actor } from '../common/auth.decorators';
import { RolePermissionsProvider } from '../common/role-permissions.provider';
import { EvidencePacksService } from '../evidence-packs/evidence-packs.service';
import { EvidenceService } from '../evidence/evidence.service';
import { UsersService } from '../users/users.service';
import { AssertionFormDto, AuditFormDto } from './dto/admin-forms.dto';
import { fieldMessage } from './field-labels';
import { formRefusal } from './web-errors';
import { WebLayout } from './web-layout.service';
import { WebOutcome } from './web-outcome';

const SYSTEMS_LIMIT = 500;
const AUDIT_LABELS: Readonly<Record<string, string>> = {
  name: 'Name',
  type: 'Type',
  periodStart: 'Period start',
  periodEnd: 'Period end',
  frameworks: 'Frameworks',
  systemIds: 'AI systems',
  auditorIds: 'Auditors',
};
const TYPE_LABELS: Readonly<Record<string, string>> = {
  point_in_time: 'Point in time (as of the period end, e.g. SOC 2 Type I)',
  period: 'Over the period (e.g. SOC 2 Type II)',
};

const day = (instant: string) => instant.slice(0, 10);

/**
 * The audit pages, over the same AuditsService, EvidencePacksService and EvidenceService as the API: a specialist
 * opens an audit (period, systems, frameworks, auditors) and writes and signs off its management assertion; an
 * auditor sees the audits assigned to them with their packs and evidence, and requests packs for them.
 */
@Injectable()
export class WebAuditsService {
  constructor(
    private readonly layout: WebLayout,
    private readonly audits: AuditsService,
    private readonly systems: AiSystemsService,
    private readonly catalog: CatalogService,
    private readonly users: UsersService,
    private readonly packs: EvidencePacksService,
    private readonly evidence: EvidenceService,
    private readonly scope: AccessScope,
    private readonly permissions: RolePermissionsProvider,
  ) {}

  async list(actor: Actor, formError: string | null = null, values: AuditFormDto = {}) {
    const canWrite = this.permissions.can(actor, 'audits:write');
    const { items } = await this.audits.list(actor);
    return this.layout.page(actor, 'Audits', {
      canWrite,
      audits: items.map((a) => ({
        ...a,
        typeLabel: a.type === 'period' ? 'period' : 'point in time',
        start: day(a.periodStart),
        end: day(a.periodEnd),
      })),
      form: canWrite ? await this.formChoices(actor, values) : null,
      values,
      formError,
    });
  }

  async create(actor: Actor, form: AuditFormDto): Promise<WebOutcome> {
    const again = async (status: number, message: string): Promise<WebOutcome> => ({
      view: 'audits',
      status,
      model: await this.list(actor, message, form),
    });
    const dto = plainToInstance(CreateAuditDto, {
      name: form.name?.trim() ?? '',
      type: form.type || undefined,
      periodStart: form.periodStart ?? '',
      periodEnd: form.periodEnd ?? '',
      frameworks: form.frameworks ?? [],
      systemIds: form.systemIds ?? [],
      auditorIds: form.auditorIds ?? [],
    });
    const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length)
      return again(400, `The audit was not opened: ${errors.map((e) => fieldMessage(e, AUDIT_LABELS)).join('; ')}.`);
    try {
      const audit = await this.audits.create(actor, dto);
      return { redirect: `/audits/${audit.id}`, flash: { kind: 'ok', text: `Opened the audit "${audit.name}".` } };
    } catch (error) {
      const refusal = formRefusal(error);
      return again(refusal.status, refusal.message);
    }
  }

  async detail(actor: Actor, id: string) {
    const audit = await this.audits.get(actor, id);
    const [{ items: packs }, evidence] = await Promise.all([
      this.packs.list(actor, { auditId: id }),
      Promise.all(audit.systems.map(async (s) => ({ ...s, items: await this.evidence.listForSystem(actor, s.id) }))),
    ]);
    const signedOff = audit.assertion?.signedOff ?? null;
    return this.layout.page(actor, `Audit — ${audit.name}`, {
      audit: {
        ...audit,
        typeLabel: TYPE_LABELS[audit.type],
        start: day(audit.periodStart),
        end: day(audit.periodEnd),
      },
      assertion: audit.assertion,
      signedOff,
      canEditAssertion: this.permissions.can(actor, 'audits:write'),
      canSignOff: this.permissions.can(actor, 'audits:sign-off') && Boolean(audit.assertion) && !signedOff,
      canRequestPack: this.permissions.can(actor, 'packs:create'),
      packs: packs.map((p) => ({
        ...p,
        ready: p.status === 'ready',
        pdfUrl: `/packs/${p.id}/pdf`,
        bundleUrl: `/packs/${p.id}/bundle`,
      })),
      evidence: evidence.map((s) => ({
        id: s.id,
        name: s.name,
        items: s.items.map((e) => ({
          ...e,
          inPeriod: e.collectedAt >= audit.periodStart && e.collectedAt <= audit.periodEnd,
        })),
      })),
    });
  }

  async saveAssertion(actor: Actor, id: string, form: AssertionFormDto): Promise<WebOutcome> {
    try {
      await this.audits.update(actor, id, { assertion: form.assertion ?? '' });
      return { redirect: `/audits/${id}`, flash: { kind: 'ok', text: 'Saved the management assertion.' } };
    } catch (error) {
      return { redirect: `/audits/${id}`, flash: { kind: 'error', text: formRefusal(error).message } };
    }
  }

  async signOff(actor: Actor, id: string): Promise<WebOutcome> {
    try {
      await this.audits.signOffAssertion(actor, id);
      return {
        redirect: `/audits/${id}`,
        flash: { kind: 'ok', text: `Signed off the management assertion as ${actor.displayName}.` },
      };
    } catch (error) {
      return { redirect: `/audits/${id}`, flash: { kind: 'error', text: formRefusal(error).message } };
    }
  }

  private async formChoices(actor: Actor, values: AuditFormDto) {
    const [systems, frameworks, users] = await Promise.all([
      this.systems.list(actor, { limit: SYSTEMS_LIMIT, offset: 0 }),
      this.catalog.frameworks(),
      this.users.list(),
    ]);
    return {
      types: AUDIT_TYPES.map((t) => ({
        value: t,
        label: TYPE_LABELS[t],
        checked: (values.type ?? 'point_in_time') === t,
      })),
      systems: systems.items.map((s) => ({
        id: s.id,
        name: s.name,
        checked: values.systemIds?.includes(s.id) ?? false,
      })),
      frameworks: frameworks.map((f) => ({
        key: f.key,
        name: f.name,
        checked: values.frameworks?.includes(f.key) ?? false,
      })),
      auditors: users
        .filter((u) => !u.disabled && this.scope.isAssignableAuditor(u.role))
        .map((u) => ({
          id: u.id,
          label: `${u.displayName} (${u.email})`,
          checked: values.auditorIds?.includes(u.id) ?? false,
        })),
    };
  }
}
