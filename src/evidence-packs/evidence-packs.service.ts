import { Inject, Injectable, Logger, StreamableFile } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { AuditLogService } from '../audit-log/audit-log.service';
import { AccessScope } from '../access-scope/access-scope.service';
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
import { BundleMember, hashChecked, streamZip } from './pack-bundle-stream';
import { PackFileStore, StoredFileState } from './pack-file-store';
import { PackBundleService } from './pack-bundle.service';
import { PackManifest } from './pack-manifest';
import { PackWorker } from './pack-worker.service';

const LIST_LIMIT = 200;

/** A bundle member with the check that runs before any byte is sent. */
interface CheckedMember extends BundleMember {
  check(): Promise<StoredFileState>;
}

@Injectable()
export class EvidencePacksService {
  private readonly logger = new Logger('EvidencePacks');

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
    private readonly bundleFiles: PackBundleService,
  ) {}

  async request(actor: Actor, dto: CreateEvidencePackDto) {
    if (Boolean(dto.systemId) === Boolean(dto.auditId)) throw invalid('Give exactly one of systemId or auditId');
    const now = this.clock.now();
    const scope = { systemId: dto.systemId ?? null, auditId: dto.auditId ?? null };
    // An audit pack looks at min(now, periodEnd) unless asked otherwise; before periodEnd it is marked INTERIM.
    const asOf = dto.asOf ? new Date(dto.asOf) : await this.assembler.defaultAsOf(scope, now);
    if (asOf.getTime() > now.getTime()) throw invalid('asOf must not be in the future');
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
        throw new DomainError(
          'throttled',
          `${active} packs are already queued or rendering; try again shortly`,
          { limit: this.config.packQueueLimit },
          10,
        );
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
    const [auditIds, systemIds] = await Promise.all([
      this.scope.visibleAuditIds(actor),
      this.scope.visibleSystemIds(actor),
    ]);
    const visible = auditIds && systemIds ? { auditIds, systemIds } : null;
    const rows = await this.packs.findPage({ ...query, visible, limit: LIST_LIMIT });
    return { items: rows.map(toPackView) };
  }

  async get(actor: Actor, id: string) {
    return toPackView(await this.visiblePack(actor, id));
  }

  /** The PDF, re-hashed before it is sent and again as it streams. */
  async pdf(actor: Actor, id: string): Promise<StreamableFile> {
    const pack = await this.readyPack(actor, id);
    const [pdf] = this.membersOf(pack, JSON.parse(pack.manifest!) as PackManifest);
    await this.assertIntact(pack.id, [pdf]);
    return this.streamOrBreakOff(pack.id, 'PDF', hashChecked(pdf.open(), pdf.sha256, pdf.path), {
      type: 'application/pdf',
      disposition: `attachment; filename="evidence-pack-${pack.id}.pdf"`,
    });
  }

  /**
   * The PDF, every evidence file, each system's OSCAL assessment results, the audit-log extract with proofs and the
   * signed manifest with SHA256SUMS and README.txt (PackBundleService), zipped as they stream.
   * Every file is re-hashed first: a missing or altered one is a 409 naming it, before any byte is sent.
   */
  async bundle(actor: Actor, id: string): Promise<StreamableFile> {
    const pack = await this.readyPack(actor, id);
    const manifest = JSON.parse(pack.manifest!) as PackManifest;
    const members = this.membersOf(pack, manifest);
    await this.assertIntact(pack.id, members);
    const zip = streamZip(members, await this.bundleFiles.texts(pack, manifest, members));
    return this.streamOrBreakOff(pack.id, 'bundle', zip, {
      type: 'application/zip',
      disposition: `attachment; filename="evidence-bundle-${pack.id}.zip"`,
    });
  }

  /** The PDF first, then each distinct file of the manifest (one content under two evidence ids is one file). */
  private membersOf(pack: EvidencePackEntity, manifest: PackManifest): CheckedMember[] {
    const members: CheckedMember[] = [
      {
        path: manifest.pdf.path,
        sha256: pack.pdfSha256 ?? manifest.pdf.sha256,
        open: () => this.files.open(pack.id),
        check: () => this.files.check(pack.id, pack.pdfSha256 ?? manifest.pdf.sha256),
      },
    ];
    const added = new Set<string>();
    for (const file of manifest.files) {
      if (added.has(file.path)) continue;
      added.add(file.path);
      if (file.evidenceId) {
        members.push({
          path: file.path,
          sha256: file.sha256,
          open: () => this.storage.open(file.sha256),
          check: () => this.evidenceState(file.sha256),
        });
      } else {
        const name = file.path.split('/').pop()!;
        members.push({
          path: file.path,
          sha256: file.sha256,
          open: () => this.files.openDocument(pack.id, name),
          check: () => this.files.checkDocument(pack.id, name, file.sha256),
        });
      }
    }
    return members;
  }

  private async evidenceState(sha256: string): Promise<StoredFileState> {
    if (!(await this.storage.exists(sha256))) return 'missing';
    return (await this.storage.verify(sha256)) ? 'ok' : 'altered';
  }

  /** One file at a time: a bundle may hold thousands, and each check reads the whole file. */
  private async assertIntact(packId: string, members: CheckedMember[]): Promise<void> {
    const missing: string[] = [];
    const altered: string[] = [];
    for (const member of members) {
      const state = await member.check();
      if (state === 'missing') missing.push(member.path);
      if (state === 'altered') altered.push(member.path);
    }
    if (missing.length + altered.length === 0) return;
    missing.sort();
    altered.sort();
    const named = [...missing.map((p) => `${p}: missing`), ...altered.map((p) => `${p}: altered`)].join('; ');
    this.logger.error(`pack ${packId}: stored files failed the integrity check, nothing was sent (${named})`);
    throw conflict(
      `Evidence pack ${packId} cannot be served: its stored files failed the integrity check (${named}). Tell your administrator; the files must be restored from a backup or the pack rendered again.`,
      { missing, altered },
      'integrity_check_failed',
    );
  }

  /**
   * A failure after the check (a file read error, a file changed since): bytes may be out already, and ending the
   * response would pass a truncated file off as complete, so the connection is broken off instead.
   */
  private streamOrBreakOff(
    packId: string,
    what: string,
    stream: Readable,
    options: { type: string; disposition: string },
  ): StreamableFile {
    return new StreamableFile(stream, options).setErrorHandler((error, response) => {
      this.logger.error(`pack ${packId}: the ${what} download was broken off: ${error.message}`);
      if (!response.destroyed) response.destroy?.();
    });
  }

  private async readyPack(actor: Actor, id: string): Promise<EvidencePackEntity> {
    const pack = await this.visiblePack(actor, id);
    if (pack.status !== 'ready' || !pack.manifest)
      throw conflict(`Evidence pack ${id} is ${pack.status}, not ready`, { status: pack.status }, 'pack_not_ready');
    return pack;
  }

  /** Auditors see packs of their audits and of the systems in their audits; anything else is a 404. */
  private async visiblePack(actor: Actor, id: string): Promise<EvidencePackEntity> {
    const pack = await this.packs.findById(id);
    if (!pack) throw notFound('Evidence pack', id);
    const [auditIds, systemIds] = await Promise.all([
      this.scope.visibleAuditIds(actor),
      this.scope.visibleSystemIds(actor),
    ]);
    if (auditIds && systemIds) {
      const visible =
        (pack.auditId && auditIds.includes(pack.auditId)) || (pack.systemId && systemIds.includes(pack.systemId));
      if (!visible) throw notFound('Evidence pack', id);
    }
    return pack;
  }
}
