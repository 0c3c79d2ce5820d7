import { Inject, Injectable } from '@nestjs/common';
import { AiSystemsService } from '../ai-systems/ai-systems.service';
import { AuditsService } from '../audits/audits.service';
import { RolePermissionsProvider } from '../common/role-permissions.provider';
import { CatalogService } from '../catalog/catalog.service';
import { Actor } from '../common/auth.decorators';
import { CLOCK, Clock } from '../common/time';
import { CreateEvidencePackDto } from '../evidence-packs/dto/evidence-pack.dto';
import { EvidencePacksService } from '../evidence-packs/evidence-packs.service';
import { PackFormDto } from './dto/web-forms.dto';
import { formRefusal } from './web-errors';
import { WebOutcome } from './web-outcome';
import { WebLayout } from './web-layout.service';

const SCOPE = /^(system|audit):([0-9a-f-]{36})$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const SYSTEMS_LIMIT = 500;

type PackView = Awaited<ReturnType<EvidencePacksService['get']>>;

/**
 * "triage-assistant-2026-11-30-1a2b3c4d.pdf": the system's or audit's name, the pack's as-of day and the first eight
 * characters of its id (enough to tell two packs of one day apart), instead of a bare UUID.
 */
export function packDownloadName(scopeName: string, asOf: string, id: string, extension: 'pdf' | 'zip'): string {
  const slug =
    scopeName
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .toLowerCase()
      .slice(0, 60)
      .replace(/-+$/, '') || 'evidence-pack';
  return `${slug}-${asOf.slice(0, 10)}-${id.slice(0, 8)}.${extension}`;
}

/** The evidence pack pages: the list with the "generate" form, and one pack whose status the page keeps current. */
@Injectable()
export class WebPacksService {
  constructor(
    private readonly layout: WebLayout,
    private readonly packs: EvidencePacksService,
    private readonly systems: AiSystemsService,
    private readonly audits: AuditsService,
    private readonly catalog: CatalogService,
    private readonly permissions: RolePermissionsProvider,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async packList(actor: Actor, formError: string | null = null, values: PackFormDto = {}) {
    const canCreate = this.permissions.can(actor, 'packs:create');
    const [{ items }, names, frameworks] = await Promise.all([
      this.packs.list(actor, {}),
      this.scopeNames(actor),
      canCreate ? this.catalog.frameworks() : Promise.resolve([]),
    ]);
    return this.layout.page(actor, 'Evidence packs', {
      packs: items.map((p) => this.row(p, names)),
      canCreate,
      systems: names.systemList.filter((s) => !s.archived),
      audits: names.auditList,
      frameworks: frameworks.map((f) => ({
        key: f.key,
        name: f.name,
        checked: values.frameworks?.includes(f.key) ?? false,
      })),
      values: { scope: values.scope ?? '', asOf: values.asOf ?? '' },
      today: this.today(),
      formError,
    });
  }

  async createPack(actor: Actor, form: PackFormDto): Promise<WebOutcome> {
    // Post/redirect/get: the refusal as a message on the list page, the choices kept in its address.
    const again = (message: string): Promise<WebOutcome> => {
      const query = new URLSearchParams();
      if (form.scope) query.set('scope', form.scope);
      if (form.asOf) query.set('asOf', form.asOf);
      for (const key of form.frameworks ?? []) query.append('frameworks', key);
      const search = query.toString();
      return Promise.resolve({
        redirect: `/packs${search ? `?${search}` : ''}#pack-form`,
        flash: { kind: 'error', text: message },
      });
    };
    const scope = SCOPE.exec(form.scope ?? '');
    if (!scope) return again('Choose the AI system or the audit the pack is for.');
    if (form.asOf !== undefined && !DAY.test(form.asOf))
      return again('Give the as-of date as a day (YYYY-MM-DD), or leave it empty for now.');
    const dto: CreateEvidencePackDto = {
      ...(scope[1] === 'system' ? { systemId: scope[2] } : { auditId: scope[2] }),
      ...(form.frameworks?.length ? { frameworks: form.frameworks } : {}),
      // A past day means its end (everything known by then); today means now, since the end of today is in the future.
      ...(form.asOf && form.asOf !== this.today() ? { asOf: `${form.asOf}T23:59:59.999Z` } : {}),
    };
    try {
      const pack = await this.packs.request(actor, dto);
      return { redirect: `/packs/${pack.id}` };
    } catch (error) {
      const refusal = formRefusal(error);
      return again(refusal.message);
    }
  }

  async packDetail(actor: Actor, id: string) {
    const pack = await this.packs.get(actor, id);
    const names = await this.scopeNames(actor);
    const row = this.row(pack, names);
    return this.layout.page(actor, `Evidence pack — ${row.scopeName}`, {
      pack: row,
      ready: pack.status === 'ready',
      pending: pack.status === 'queued' || pack.status === 'rendering',
    });
  }

  /** The ready packs an auditor can download, newest first, for their dashboard. */
  async readyPacks(actor: Actor) {
    const [{ items }, names] = await Promise.all([this.packs.list(actor, {}), this.scopeNames(actor)]);
    return items.filter((p) => p.status === 'ready').map((p) => this.row(p, names));
  }

  /**
   * The PDF or the bundle of a ready pack under a name a person can file (issue 17.9): the same stream and checks
   * as the API's download, only the file name differs.
   */
  async download(actor: Actor, id: string, file: 'pdf' | 'bundle') {
    const [pack, names] = await Promise.all([this.packs.get(actor, id), this.scopeNames(actor)]);
    const stream = file === 'pdf' ? await this.packs.pdf(actor, id) : await this.packs.bundle(actor, id);
    const name = packDownloadName(this.nameOf(pack, names), pack.asOf, pack.id, file === 'pdf' ? 'pdf' : 'zip');
    return { stream, name };
  }

  private nameOf(pack: PackView, names: Awaited<ReturnType<WebPacksService['scopeNames']>>): string {
    return pack.auditId
      ? (names.audits.get(pack.auditId) ?? 'audit')
      : ((pack.systemId && names.systems.get(pack.systemId)) ?? 'AI system');
  }

  private row(pack: PackView, names: Awaited<ReturnType<WebPacksService['scopeNames']>>) {
    const scopeName = `${pack.auditId ? 'Audit' : 'AI system'}: ${this.nameOf(pack, names)}`;
    return { ...pack, scopeName, pdfUrl: `/packs/${pack.id}/pdf`, bundleUrl: `/packs/${pack.id}/bundle` };
  }

  private async scopeNames(actor: Actor) {
    const [systems, audits] = await Promise.all([
      this.systems.list(actor, { limit: SYSTEMS_LIMIT, offset: 0, includeArchived: true }),
      this.permissions.can(actor, 'audits:read') ? this.audits.list(actor) : Promise.resolve({ items: [] }),
    ]);
    const systemList = systems.items.map((s) => ({ id: s.id, name: s.name, archived: s.archived }));
    const auditList = audits.items.map((a) => ({ id: a.id, name: a.name }));
    return {
      systemList,
      auditList,
      systems: new Map(systemList.map((s) => [s.id, s.name])),
      audits: new Map(auditList.map((a) => [a.id, a.name])),
    };
  }

  private today(): string {
    return this.clock.now().toISOString().slice(0, 10);
  }
}
