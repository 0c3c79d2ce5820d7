import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import { AuditLogService } from '../audit-log/audit-log.service';
import { sha256Hex } from '../common/canonical-json';
import { CLOCK, Clock, iso } from '../common/time';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { TransactionRunner, Tx } from '../database/transaction-runner';
import { packReady } from '../events/domain-events';
import { EventsService } from '../events/events.service';
import { EvidencePackEntity } from './entities/evidence-pack.entity';
import { EvidencePackRenderer } from './evidence-pack-renderer';
import { EvidencePacksRepository } from './evidence-packs.repository';
import { PackFileStore, StagedFile } from './pack-file-store';
import { buildManifest, ManifestFile } from './pack-manifest';
import { AiSystemsQueries } from '../ai-systems/ai-systems.queries';
import { OscalService } from '../oscal/oscal.service';

const POLL_MS = 1000;
const WORKER_ACTOR = 'system:pack-worker';

/** One system's OSCAL assessment results, as the pack's bundle carries them. */
interface AssessmentDocument {
  systemId: string;
  content: Buffer;
}

/** An assessment-results document staged for the bundle, and its manifest entry. */
interface StagedDocument {
  file: StagedFile;
  entry: ManifestFile;
}

/**
 * Renders queued packs, up to WORKBENCH_PACK_WORKERS at a time per app instance (default the CPU count, at most 4):
 * that many loops, each claiming one job, rendering it and claiming the next. A second loop starts only once the
 * first has claimed a job, so an idle instance polls with one. Any instance may claim any queued pack, and a claim is
 * atomic (the write queue on SQLite, FOR UPDATE SKIP LOCKED on PostgreSQL), so each job is rendered once, the queue
 * survives restarts and scales with instances. Polls every second and is woken right after a request.
 *
 * A claim is a lease (`leaseUntil`) that the rendering instance renews every third of WORKBENCH_PACK_LEASE_MS. Every
 * instance checks as often for claims whose lease ran out and puts those jobs back in the queue, so a job abandoned
 * by a crashed instance is queued again within 4/3 of the lease, while the others keep running. The job timeout and
 * a lost claim abort the render itself (AbortSignal down to the renderer), and the worker waits until the renderer
 * has let go before it claims the next job.
 */
@Injectable()
export class PackWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('PackWorker');
  private readonly workerId = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`.slice(0, 80);
  private readonly leaseCheckMs: number;
  private timer?: NodeJS.Timeout;
  private leaseTimer?: NodeJS.Timeout;
  private readonly loops = new Set<Promise<void>>();
  /** Loops between jobs, looking for the next one. */
  private searching = 0;
  private requeueing?: Promise<void>;
  private stopping = false;

  constructor(
    private readonly packs: EvidencePacksRepository,
    private readonly renderer: EvidencePackRenderer,
    private readonly files: PackFileStore,
    private readonly systems: AiSystemsQueries,
    private readonly oscal: OscalService,
    private readonly tx: TransactionRunner,
    private readonly auditLog: AuditLogService,
    private readonly events: EventsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.leaseCheckMs = Math.max(100, Math.floor(config.packLeaseMs / 3));
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.requeueExpired();
    this.timer = setInterval(() => this.wake(), POLL_MS);
    this.timer.unref();
    this.leaseTimer = setInterval(() => this.checkLeases(), this.leaseCheckMs);
    this.leaseTimer.unref();
  }

  /**
   * Waits for the running jobs before the rest of the app shuts down. A module-destroy hook, not a shutdown hook:
   * TypeORM closes the connection in onApplicationShutdown, and the job must still record its outcome.
   */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    clearInterval(this.leaseTimer);
    await Promise.all([...this.loops, this.requeueing]);
  }

  /** Starts a loop when none runs; a loop that claimed a job calls it again, up to packWorkers loops. */
  wake(): void {
    if (this.stopping || this.loops.size >= this.config.packWorkers || this.searching > 0) return;
    const loop: Promise<void> = this.drainQueue()
      .catch((error) => this.logger.error(`pack worker loop failed: ${(error as Error).message}`))
      .finally(() => this.loops.delete(loop));
    this.loops.add(loop);
  }

  private checkLeases(): void {
    if (this.requeueing || this.stopping) return;
    this.requeueing = this.requeueExpired()
      .catch((error) => this.logger.error(`pack lease check failed: ${(error as Error).message}`))
      .finally(() => (this.requeueing = undefined));
  }

  private leaseFrom(now: Date): string {
    return iso(new Date(now.getTime() + this.config.packLeaseMs));
  }

  private async drainQueue(): Promise<void> {
    while (!this.stopping) {
      this.searching++;
      let job: EvidencePackEntity | null;
      try {
        if (!(await this.packs.hasQueued())) return;
        job = await this.tx.run(async (tx) => {
          const now = this.clock.now();
          const claimed = await this.packs.claimOldestQueued(tx, this.workerId, iso(now), this.leaseFrom(now));
          if (claimed)
            await this.audit(tx, claimed.id, 'pack.render.start', { attempt: claimed.attempts, worker: this.workerId });
          return claimed;
        });
      } finally {
        this.searching--;
      }
      if (!job) return;
      // Another job may be queued behind this one: a further loop looks for it while this one renders.
      this.wake();
      await this.process(job);
    }
  }

  private async process(job: EvidencePackEntity): Promise<void> {
    const abort = new AbortController();
    const timer = setTimeout(
      () => abort.abort(new Error(`the pack took longer than ${this.config.packTimeoutMs} ms`)),
      this.config.packTimeoutMs,
    );
    const heartbeat = this.keepClaim(job, abort);
    // Every file of the job is first staged (written and synced under a temporary name); each is put in place only
    // after the claim check below, and a job that fails removes what it staged.
    const staging: Promise<StagedFile | StagedFile[]>[] = [];
    let committed = false;
    try {
      let documents: Promise<StagedDocument[]> | undefined;
      const rendered = await this.renderer.render(
        {
          packId: job.id,
          systemId: job.systemId,
          auditId: job.auditId,
          frameworks: job.frameworks,
          asOf: job.asOf,
          generatedAt: job.startedAt ?? iso(this.clock.now()),
          requestedBy: job.requestedBy,
        },
        abort.signal,
        // Built and staged while Chromium prints, rather than after it (issue 18.1).
        (model) => {
          documents = this.assessmentResults(model.scope.systems.map((s) => s.id)).then((built) =>
            this.stageAssessmentResults(job.id, built),
          );
          staging.push(documents.then((staged) => staged.map((document) => document.file)));
          documents.catch(() => undefined); // a failed render never awaits it
        },
      );
      const pdfSha256 = sha256Hex(rendered.pdf);
      const pdf = this.files.stage(job.id, rendered.pdf);
      staging.push(pdf);
      pdf.catch(() => undefined); // awaited after the claim check
      // The claim is checked once more right before the files are put in place: a job requeued meanwhile is another
      // instance's now, and its files are that instance's to write.
      if (!abort.signal.aborted && !(await this.renew(job))) abort.abort(lostClaim());
      abort.signal.throwIfAborted();
      const [pdfFile, staged] = await allWritten([pdf, documents!] as const);
      await allWritten([pdfFile.commit(), ...staged.map((document) => document.file.commit())]);
      committed = true;
      const manifest = buildManifest(
        { packId: job.id, generatedAt: rendered.model.generatedAt, asOf: job.asOf, pdfSha256 },
        rendered.model.evidenceIndex,
        staged.map((document) => document.entry),
      );
      await this.finish(
        job,
        'ready',
        {
          pdfSha256,
          pageCount: rendered.pages,
          renderMs: rendered.ms,
          manifest: JSON.stringify(manifest),
          error: null,
        },
        rendered.model.title,
      );
    } catch (error) {
      const message = (error as Error).message || String(error);
      this.logger.warn(`pack ${job.id} failed: ${message}`);
      // The next job starts only once this one's files are gone; those already put in place stay, as before.
      if (!committed) await this.discard(staging);
      await this.finish(job, 'failed', { error: message.slice(0, 2000) });
    } finally {
      clearTimeout(timer);
      heartbeat.stop();
    }
  }

  /** Removes every staged file of a failed job, once its staging has ended (nothing is written for it afterwards). */
  private async discard(staging: Promise<StagedFile | StagedFile[]>[]): Promise<void> {
    const staged = await Promise.allSettled(staging);
    const files = staged.flatMap((result) => (result.status === 'fulfilled' ? [result.value].flat() : []));
    await Promise.allSettled(files.map((file) => file.discard()));
  }

  /** Renews the job's lease every third of the lease while it renders; a claim found lost aborts the render. */
  private keepClaim(job: EvidencePackEntity, abort: AbortController): { stop(): void } {
    let renewing: Promise<void> | undefined;
    const interval = setInterval(() => {
      if (renewing || abort.signal.aborted) return;
      renewing = this.renew(job)
        .then((held) => {
          if (!held && !abort.signal.aborted) abort.abort(lostClaim());
        })
        // A database hiccup is not a lost claim: the next beat tries again, and the lease outlasts a missed one.
        .catch((error) => this.logger.warn(`pack ${job.id}: lease renewal failed: ${(error as Error).message}`))
        .finally(() => (renewing = undefined));
    }, this.leaseCheckMs);
    interval.unref();
    return { stop: () => clearInterval(interval) };
  }

  /** No audit entry: a renewal is queue bookkeeping, not a change of the pack; the claim and the outcome are logged. */
  private renew(job: EvidencePackEntity): Promise<boolean> {
    return this.tx.run((tx) => this.packs.renewLease(tx, job.id, this.workerId, this.leaseFrom(this.clock.now())));
  }

  /** Each system's OSCAL assessment results go into the bundle beside the PDF, hashed in the manifest. */
  private async assessmentResults(systemIds: string[]): Promise<AssessmentDocument[]> {
    const documents: AssessmentDocument[] = [];
    for (const systemId of systemIds) {
      const system = await this.systems.findById(systemId);
      if (!system) continue;
      documents.push({
        systemId,
        content: Buffer.from(JSON.stringify(await this.oscal.assessmentResultsOf(system), null, 2)),
      });
    }
    return documents;
  }

  /** The documents staged at the same time, in the order given (the manifest's). */
  private stageAssessmentResults(packId: string, assessments: AssessmentDocument[]): Promise<StagedDocument[]> {
    return allWritten(
      assessments.map(async ({ systemId, content }) => {
        const name = `assessment-results-${systemId}.json`;
        return {
          file: await this.files.stageDocument(packId, name, content),
          entry: {
            path: `oscal/${name}`,
            document: 'oscal-assessment-results' as const,
            systemId,
            sha256: sha256Hex(content),
            sizeBytes: content.length,
          },
        };
      }),
    );
  }

  private async finish(
    job: EvidencePackEntity,
    to: 'ready' | 'failed',
    changes: Partial<EvidencePackEntity>,
    title?: string,
  ): Promise<void> {
    await this.tx.run(async (tx) => {
      const moved = await this.packs.moveStatus(
        tx,
        job.id,
        job.status,
        to,
        { ...changes, finishedAt: iso(this.clock.now()), leaseUntil: null },
        { claimedBy: this.workerId },
      );
      // Not moved: another instance re-queued it as abandoned; its outcome is the one that counts.
      if (moved) {
        await this.audit(tx, job.id, to === 'ready' ? 'pack.render.ready' : 'pack.render.fail', {
          pdfSha256: changes.pdfSha256,
          pageCount: changes.pageCount,
          renderMs: changes.renderMs,
          error: changes.error ?? undefined,
        });
        if (to === 'ready')
          await this.events.record(tx, packReady({ ...job, ...changes }, title ?? 'Evidence pack', WORKER_ACTOR));
      }
    });
  }

  /** Jobs whose claim ran out go back to the queue; at start-up and then every third of the lease, on every instance. */
  private async requeueExpired(): Promise<void> {
    const expired = await this.packs.findExpiredClaims(iso(this.clock.now()));
    if (expired.length === 0) return;
    let requeued = 0;
    await this.tx.run(async (tx) => {
      for (const job of expired) {
        // Conditional on the claim and lease as read: a renewal that landed since keeps the job where it is.
        const claim = { claimedBy: job.claimedBy, leaseUntil: job.leaseUntil };
        if (
          await this.packs.moveStatus(
            tx,
            job.id,
            job.status,
            'queued',
            { claimedBy: null, startedAt: null, leaseUntil: null },
            claim,
          )
        ) {
          await this.audit(tx, job.id, 'pack.requeue', {
            abandonedBy: job.claimedBy,
            startedAt: job.startedAt,
            leaseUntil: job.leaseUntil,
          });
          requeued++;
        }
      }
    });
    if (requeued > 0) {
      this.logger.warn(`requeued ${requeued} pack job(s) whose claim expired`);
      this.wake();
    }
  }

  private audit(tx: Tx, packId: string, action: string, payload: unknown) {
    return this.auditLog.append(tx, {
      actor: WORKER_ACTOR,
      action,
      entityType: 'evidence_pack',
      entityId: packId,
      payload,
    });
  }
}

/**
 * Promise.all that settles only once every write has: a job that failed to write one file is recorded as failed only
 * after the others have stopped, so nothing is written for it afterwards. Rejects with the first failure.
 */
async function allWritten<T extends readonly unknown[]>(writes: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(writes);
  const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

function lostClaim(): Error {
  return new Error('the claim on this pack job was lost (its lease ran out and another instance requeued it)');
}
