import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import { AuditLogService } from '../audit-log/audit-log.service';
import { sha256Hex } from '../common/canonical-json';
import { CLOCK, Clock, iso } from '../common/time';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { TransactionRunner, Tx } from '../database/transaction-runner';
import { EvidencePackEntity } from './entities/evidence-pack.entity';
import { EvidencePackRenderer } from './evidence-pack-renderer';
import { EvidencePacksRepository } from './evidence-packs.repository';
import { PackFileStore } from './pack-file-store';
import { buildManifest, ManifestFile } from './pack-manifest';
import { AiSystemsRepository } from '../ai-systems/ai-systems.repository';
import { OscalService } from '../oscal/oscal.service';
import { PACK_STATE_MACHINE } from './pack-status';

const POLL_MS = 1000;
const WORKER_ACTOR = 'system:pack-worker';

/**
 * Renders queued packs, one at a time per app instance. Any instance may claim any queued pack, so the queue
 * survives restarts and scales with instances. Polls every second and is woken right after a request.
 */
@Injectable()
export class PackWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('PackWorker');
  private readonly workerId = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`.slice(0, 80);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopping = false;

  constructor(
    private readonly packs: EvidencePacksRepository,
    private readonly renderer: EvidencePackRenderer,
    private readonly files: PackFileStore,
    private readonly systems: AiSystemsRepository,
    private readonly oscal: OscalService,
    private readonly tx: TransactionRunner,
    private readonly auditLog: AuditLogService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.requeueAbandoned();
    this.timer = setInterval(() => this.wake(), POLL_MS);
    this.timer.unref();
  }

  /**
   * Waits for the running job before the rest of the app shuts down. A module-destroy hook, not a shutdown hook:
   * TypeORM closes the connection in onApplicationShutdown, and the job must still record its outcome.
   */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.running;
  }

  wake(): void {
    if (this.running || this.stopping) return;
    this.running = this.drainQueue()
      .catch((error) => this.logger.error(`pack worker loop failed: ${(error as Error).message}`))
      .finally(() => (this.running = undefined));
  }

  private async drainQueue(): Promise<void> {
    while (!this.stopping) {
      PACK_STATE_MACHINE.assertMove('queued', 'rendering');
      const job = await this.tx.run(async (tx) => {
        const claimed = await this.packs.claimOldestQueued(tx, this.workerId, iso(this.clock.now()));
        if (claimed) await this.audit(tx, claimed.id, 'pack.render.start', { attempt: claimed.attempts, worker: this.workerId });
        return claimed;
      });
      if (!job) return;
      await this.process(job);
    }
  }

  private async process(job: EvidencePackEntity): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the pack took longer than ${this.config.packTimeoutMs} ms`)), this.config.packTimeoutMs);
      });
      const rendered = await Promise.race([
        this.renderer.render({
          packId: job.id,
          systemId: job.systemId,
          auditId: job.auditId,
          frameworks: job.frameworks,
          asOf: job.asOf,
          generatedAt: job.startedAt ?? iso(this.clock.now()),
          requestedBy: job.requestedBy,
        }),
        timeout,
      ]);
      const pdfSha256 = sha256Hex(rendered.pdf);
      await this.files.write(job.id, rendered.pdf);
      const documents = await this.writeAssessmentResults(job.id, rendered.model.scope.systems.map((s) => s.id));
      const manifest = buildManifest({ packId: job.id, generatedAt: rendered.model.generatedAt, asOf: job.asOf, pdfSha256 }, rendered.model.evidenceIndex, documents);
      await this.finish(job, 'ready', {
        pdfSha256,
        pageCount: rendered.pages,
        renderMs: rendered.ms,
        manifest: JSON.stringify(manifest),
        error: null,
      });
    } catch (error) {
      const message = (error as Error).message || String(error);
      this.logger.warn(`pack ${job.id} failed: ${message}`);
      await this.finish(job, 'failed', { error: message.slice(0, 2000) });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Each system's OSCAL assessment results go into the bundle beside the PDF, hashed in the manifest. */
  private async writeAssessmentResults(packId: string, systemIds: string[]): Promise<ManifestFile[]> {
    const documents: ManifestFile[] = [];
    for (const systemId of systemIds) {
      const system = await this.systems.findById(systemId);
      if (!system) continue;
      const content = Buffer.from(JSON.stringify(await this.oscal.assessmentResultsOf(system), null, 2));
      const name = `assessment-results-${systemId}.json`;
      await this.files.writeDocument(packId, name, content);
      documents.push({ path: `oscal/${name}`, document: 'oscal-assessment-results', systemId, sha256: sha256Hex(content), sizeBytes: content.length });
    }
    return documents;
  }

  private async finish(job: EvidencePackEntity, to: 'ready' | 'failed', changes: Partial<EvidencePackEntity>): Promise<void> {
    PACK_STATE_MACHINE.assertMove('rendering', to);
    await this.tx.run(async (tx) => {
      const moved = await this.packs.moveStatus(tx, job.id, 'rendering', { ...changes, status: to, finishedAt: iso(this.clock.now()) }, this.workerId);
      // Not moved: another instance re-queued it as abandoned; its outcome is the one that counts.
      if (moved) {
        await this.audit(tx, job.id, to === 'ready' ? 'pack.render.ready' : 'pack.render.fail', {
          pdfSha256: changes.pdfSha256,
          pageCount: changes.pageCount,
          renderMs: changes.renderMs,
          error: changes.error ?? undefined,
        });
      }
    });
  }

  /** Jobs left rendering by a dead instance for longer than twice the job timeout go back to the queue. */
  private async requeueAbandoned(): Promise<void> {
    const cutoff = iso(new Date(this.clock.now().getTime() - 2 * this.config.packTimeoutMs));
    await this.tx.run(async (tx) => {
      for (const job of await this.packs.findStuckRendering(tx, cutoff)) {
        PACK_STATE_MACHINE.assertMove(job.status, 'queued');
        if (await this.packs.moveStatus(tx, job.id, 'rendering', { status: 'queued', claimedBy: null, startedAt: null })) {
          await this.audit(tx, job.id, 'pack.requeue', { abandonedBy: job.claimedBy, startedAt: job.startedAt });
        }
      }
    });
  }

  private audit(tx: Tx, packId: string, action: string, payload: unknown) {
    return this.auditLog.append(tx, { actor: WORKER_ACTOR, action, entityType: 'evidence_pack', entityId: packId, payload });
  }
}
