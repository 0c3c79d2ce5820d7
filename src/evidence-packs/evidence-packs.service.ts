import { Inject, Injectable, StreamableFile } from '@nestjs/common';
import archiver, { Archiver, ArchiverOptions } from 'archiver';
import { randomUUID } from 'node:crypto';
import { AuditLogService } from '../audit-log/audit-log.service';
import { AccessScope } from '../audits/access-scope.service';
import { Actor } from '../common/auth.decorators';
import { conflict, DomainError, invalid, notFound } from '../common/domain-errors';
import { CLOCK, Clock, iso } from '../common/time';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { TransactionRunner } from '../database/transaction-runner';
import { EVIDENCE_STORAGE, EvidenceStorage } from '../evidence/evidence-storage';
import { CreateEvidencePackDto, ListEvidencePacksQueryDto } from './dto/evidence-pack.dto';
import { EvidencePackEntity } from './entities/evidence-pack.entity';
import { EvidencePackAssembler } from './evidence-pack-assembler';
import { toPackView } from './evidence-pack.view';
import { EvidencePacksRepository } from './evidence-packs.repository';
import { PackFileStore } from './pack-file-store';
import { BUNDLE_MANIFEST_PATH, PackManifest } from './pack-manifest';
import { PackWorker } from './pack-worker.service';

const LIST_LIMIT = 200;

// archiver 7 exports a factory function; the installed @types/archiver describes archiver 8's classes.
const createArchive = archiver as unknown as (format: 'zip', options: ArchiverOptions) => Archiver;

@Injectable()
export class EvidencePacksService {
  constructor(
    private readonly packs: EvidencePacksRepository,
    private readonly assembler: EvidencePackAssembler,
    private readonly worker: PackWorker,
    private readonly files: PackFileStore,
    private readonly scope: AccessScope,
    private readonly tx: TransactionRunner,
    private readonly auditLog: AuditLogService,
    @Inject(EVIDENCE_STORAGE) private readonly storage: EvidenceStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async request(actor: Actor, dto: CreateEvidencePackDto) {
    if (Boolean(dto.systemId) === Boolean(dto.auditId)) throw invalid('Give exactly one of systemId or auditId');
    const now = this.clock.now();
    const asOf = dto.asOf ? new Date(dto.asOf) : now;
    if (asOf.getTime() > now.getTime()) throw invalid('asOf must not be in the future');
    const scope = { systemId: dto.systemId ?? null, auditId: dto.auditId ?? null };
    if (scope.systemId) await this.scope.assertSystemVisible(actor, scope.systemId);
    const frameworks = dto.frameworks ?? (await this.assembler.defaultFrameworks(scope));
    if (frameworks.length === 0) throw invalid('No framework applies to this scope; name the frameworks to include');
    await this.assembler.assertFrameworksKnown(frameworks);
    const pack = Object.assign(new EvidencePackEntity(), {
      id: randomUUID(),
      ...scope,
      frameworks,
      asOf: iso(asOf),
      status: 'queued',
      requestedBy: actor.id,
      requestedAt: iso(now),
      startedAt: null,
      finishedAt: null,
      claimedBy: null,
      leaseUntil: null,
      attempts: 0,
      error: null,
      pdfSha256: null,
      pageCount: null,
      renderMs: null,
      manifest: null,
    } satisfies EvidencePackEntity);
    await this.tx.run(async (tx) => {
      const active = await this.packs.countActive(tx);
      if (active >= this.config.packQueueLimit) {
        throw new DomainError('throttled', `${active} packs are already queued or rendering; try again shortly`, { limit: this.config.packQueueLimit }, 10);
      }
      await this.packs.insert(tx, pack);
      await this.auditLog.append(tx, {
        actor: actor.email,
        action: 'pack.request',
        entityType: 'evidence_pack',
        entityId: pack.id,
        payload: { ...scope, frameworks, asOf: pack.asOf },
      });
    });
    this.worker.wake();
    return { id: pack.id, status: pack.status };
  }

  async list(actor: Actor, query: ListEvidencePacksQueryDto) {
    const [auditIds, systemIds] = await Promise.all([this.scope.visibleAuditIds(actor), this.scope.visibleSystemIds(actor)]);
    const visible = auditIds && systemIds ? { auditIds, systemIds } : null;
    const rows = await this.packs.findPage({ ...query, visible, limit: LIST_LIMIT });
    return { items: rows.map(toPackView) };
  }

  async get(actor: Actor, id: string) {
    return toPackView(await this.visiblePack(actor, id));
  }

  async pdf(actor: Actor, id: string): Promise<StreamableFile> {
    const pack = await this.readyPack(actor, id);
    return new StreamableFile(this.files.open(pack.id), {
      type: 'application/pdf',
      disposition: `attachment; filename="evidence-pack-${pack.id}.pdf"`,
    });
  }

  /** The PDF, every evidence file, each system's OSCAL assessment results and manifest.json, zipped as they stream. */
  async bundle(actor: Actor, id: string): Promise<StreamableFile> {
    const pack = await this.readyPack(actor, id);
    const manifest = JSON.parse(pack.manifest!) as PackManifest;
    // Stored, not deflated: PDFs and most evidence are compressed already, and bytes on disk stay checkable.
    const zip = createArchive('zip', { store: true });
    zip.append(this.files.open(pack.id), { name: manifest.pdf.path });
    const added = new Set<string>();
    for (const file of manifest.files) {
      if (added.has(file.path)) continue;
      added.add(file.path);
      const content = file.evidenceId ? this.storage.open(file.sha256) : this.files.openDocument(pack.id, file.path.split('/').pop()!);
      zip.append(content, { name: file.path });
    }
    zip.append(JSON.stringify(manifest, null, 2), { name: BUNDLE_MANIFEST_PATH });
    void zip.finalize().catch(() => undefined);
    return new StreamableFile(zip, { type: 'application/zip', disposition: `attachment; filename="evidence-bundle-${pack.id}.zip"` });
  }

  private async readyPack(actor: Actor, id: string): Promise<EvidencePackEntity> {
    const pack = await this.visiblePack(actor, id);
    if (pack.status !== 'ready' || !pack.manifest) throw conflict(`Evidence pack ${id} is ${pack.status}, not ready`, { status: pack.status });
    if (!this.files.exists(pack.id)) throw notFound('Evidence pack file', id);
    return pack;
  }

  /** Auditors see packs of their audits and of the systems in their audits; anything else is a 404. */
  private async visiblePack(actor: Actor, id: string): Promise<EvidencePackEntity> {
    const pack = await this.packs.findById(id);
    if (!pack) throw notFound('Evidence pack', id);
    const [auditIds, systemIds] = await Promise.all([this.scope.visibleAuditIds(actor), this.scope.visibleSystemIds(actor)]);
    if (auditIds && systemIds) {
      const visible = (pack.auditId && auditIds.includes(pack.auditId)) || (pack.systemId && systemIds.includes(pack.systemId));
      if (!visible) throw notFound('Evidence pack', id);
    }
    return pack;
  }
}
