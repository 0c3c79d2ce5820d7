import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app.config';

/** An opaque unit of work handed from services to repositories; only repositories look inside. */
export type Tx = EntityManager;

/** At most this many queued transactions share one SQLite commit (see TransactionRunner). */
export const GROUP_COMMIT_LIMIT = 32;

interface QueuedWork {
  work: (tx: Tx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Runs write transactions. On SQLite every transaction goes through one in-process queue: the driver shares a
 * single connection, so two interleaved BEGINs would fail, and queueing means concurrent requests wait instead of
 * seeing SQLITE_BUSY. PostgreSQL transactions run concurrently; row locks serialise what must be serial.
 *
 * Group commit (SQLite, issue 18.4): the transactions waiting in the queue when one starts run one after another
 * inside a single BEGIN ... COMMIT, each in a savepoint of its own, so a burst of writers pays for one commit (one
 * WAL sync) instead of one each. Each transaction still sees the ones before it and commits or fails as a whole: a
 * work that throws is rolled back to its savepoint and rejected, the others stay; a caller's promise resolves only
 * after the shared COMMIT succeeded, and rejects if it failed. The audit chain holds as before, since each work
 * reads and advances the head in turn within the same transaction.
 */
@Injectable()
export class TransactionRunner {
  private readonly queue: QueuedWork[] = [];
  private draining = false;
  private waiting = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Writers currently queued or running (SQLite only); used to shed load before the queue grows without bound. */
  get queueDepth(): number {
    return this.waiting;
  }

  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    if (this.config.database.kind !== 'sqlite') return this.dataSource.transaction(work);
    this.waiting++;
    const result = new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
    });
    if (!this.draining) void this.drain();
    return result.finally(() => {
      this.waiting--;
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      // A work queued while a group runs joins it, or the next one.
      while (this.queue.length > 0) await this.group();
    } finally {
      this.draining = false;
    }
  }

  private async group(): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    const committed: Array<{ job: QueuedWork; value: unknown }> = [];
    let current: QueuedWork | undefined;
    try {
      await runner.startTransaction();
      for (let n = 0; n < GROUP_COMMIT_LIMIT && this.queue.length > 0; n++) {
        const job = (current = this.queue.shift()!);
        await runner.startTransaction(); // a savepoint
        let value: unknown;
        try {
          value = await job.work(runner.manager);
        } catch (error) {
          // Undone before the caller hears of it, so nothing it reads next still sees the work's rows.
          await runner.rollbackTransaction().finally(() => job.reject(error)); // to the savepoint
          continue;
        }
        await runner.commitTransaction(); // releases the savepoint
        committed.push({ job, value });
        current = undefined;
      }
      await runner.commitTransaction();
    } catch (error) {
      await abandon(runner);
      current?.reject(error);
      for (const { job } of committed) job.reject(error);
      return;
    } finally {
      await runner.release();
    }
    for (const { job, value } of committed) job.resolve(value);
  }
}

/**
 * Rolls the whole transaction back after a failure SQLite may already have rolled back on its own (a full disk, an
 * I/O error), and resets the shared query runner's transaction state, which would otherwise stay half-open and fail
 * every later BEGIN.
 */
async function abandon(runner: QueryRunner): Promise<void> {
  await runner.query('ROLLBACK').catch(() => undefined);
  Object.assign(runner, { isTransactionActive: false, transactionDepth: 0 });
}
