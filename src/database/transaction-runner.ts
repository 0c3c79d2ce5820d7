import { Inject, Injectable, OnApplicationShutdown, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app.config';

/** An opaque unit of work handed from services to repositories; only repositories look inside. */
export type Tx = EntityManager;

/** The SQLite connection that write transactions run on, apart from the one reads use (null: one connection). */
export const SQLITE_WRITER = Symbol('SQLITE_WRITER');

/** At most this many queued transactions share one SQLite commit (see TransactionRunner). */
export const GROUP_COMMIT_LIMIT = 32;

/** The name of each work's savepoint in a group: a rollback to it goes to the latest, the failing work's. */
const WORK_SAVEPOINT = 'work';
/** The savepoint around a group's works, inside its BEGIN ... COMMIT (see group()). */
const GROUP_SAVEPOINT = 'work_group';

const memos = new WeakMap<Tx, Map<symbol, unknown>>();

/**
 * What a transaction's writes have made true, kept for the writes after them in the same transaction: on SQLite the
 * works of one group share it, and it is forgotten when a work rolls back to its savepoint or the group ends; on
 * PostgreSQL it lives as long as the transaction's manager. Only for a fact that one repository both writes and reads
 * (the audit-log head), so no other write can make it stale.
 */
export function transactionMemo(tx: Tx): Map<symbol, unknown> {
  let memo = memos.get(tx);
  if (!memo) memos.set(tx, (memo = new Map<symbol, unknown>()));
  return memo;
}

/** Forgets a transaction's memo (see transactionMemo): after a write that went around the repository keeping it. */
export function forgetTransactionMemo(tx: Tx): void {
  memos.delete(tx);
}

interface QueuedWork {
  work: (tx: Tx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Runs write transactions. PostgreSQL transactions run concurrently; row locks serialise what must be serial.
 *
 * SQLite: every transaction goes through one in-process queue on a connection of its own (the writer), apart from
 * the connection that reads outside transactions use. SQLite allows one writer at a time, so queueing means
 * concurrent requests wait instead of seeing SQLITE_BUSY; and since the file is in WAL mode, a read on the other
 * connection sees only committed rows, never those of a transaction still open on the writer.
 *
 * Group commit (issue 18.4): the transactions waiting in the queue when one starts run one after another inside a
 * single BEGIN ... COMMIT, each in a savepoint of its own (kept open to the COMMIT), so a burst of writers pays for
 * one commit (one WAL sync) instead of one each. Each transaction still sees the ones before it and commits or fails as a whole: a work that
 * throws is rolled back to its savepoint, the others stay; every caller hears back only after the shared COMMIT (a
 * work that threw, with its own error; the others with their result, or the COMMIT's error if it failed), so when a
 * caller hears back, whatever the works queued before it wrote is committed, as when each committed alone. The audit chain holds as before, since each work reads and
 * advances the head in turn within the same transaction. An in-memory database has one connection only; there the
 * queue runs one transaction per commit, since reads would share the open group's connection.
 */
@Injectable()
export class TransactionRunner implements OnApplicationShutdown {
  private readonly queue: QueuedWork[] = [];
  private drained: Promise<void> = Promise.resolve();
  private draining = false;
  private waiting = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(SQLITE_WRITER) private readonly writer: DataSource | null = null,
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
    if (!this.draining) this.drained = this.drain();
    return result.finally(() => {
      this.waiting--;
    });
  }

  /** Lets the queued transactions finish, then closes the writer's connection. */
  async onApplicationShutdown(): Promise<void> {
    await this.drained;
    if (this.writer?.isInitialized) await this.writer.destroy();
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      // A work queued while a group runs joins it, or the next one.
      while (this.queue.length > 0) await this.group(this.writer ? GROUP_COMMIT_LIMIT : 1);
    } finally {
      this.draining = false;
    }
  }

  private async group(limit: number): Promise<void> {
    const runner = (this.writer ?? this.dataSource).createQueryRunner();
    const committed: Array<{ job: QueuedWork; value: unknown }> = [];
    // A failed work hears of it only after the group's COMMIT too: what the works before it wrote (a unique key it
    // collided with, say) is then committed and readable on any connection, as it was when each work committed alone.
    const failed: Array<{ job: QueuedWork; error: unknown }> = [];
    let current: QueuedWork | undefined;
    try {
      await runner.startTransaction();
      // Released before the COMMIT: if SQLite rolled the transaction back on its own meanwhile (a full disk, an I/O
      // error), the savepoint is gone and the release fails, so no work of the group is reported as committed.
      await runner.query(`SAVEPOINT ${GROUP_SAVEPOINT}`);
      forgetTransactionMemo(runner.manager);
      for (let n = 0; n < limit && this.queue.length > 0; n++) {
        const job = (current = this.queue.shift()!);
        // Each work's savepoint stays open until the group's COMMIT, which commits them all: releasing it would be one
        // more statement per work on the writer's serial path, and a rollback to it undoes that work only.
        await runner.query(`SAVEPOINT ${WORK_SAVEPOINT}`);
        let value: unknown;
        try {
          value = await job.work(runner.manager);
        } catch (error) {
          current = undefined;
          failed.push({ job, error });
          forgetTransactionMemo(runner.manager); // what it knew may describe the rows rolled back
          await runner.query(`ROLLBACK TO SAVEPOINT ${WORK_SAVEPOINT}`);
          continue;
        }
        committed.push({ job, value });
        current = undefined;
      }
      await runner.query(`RELEASE SAVEPOINT ${GROUP_SAVEPOINT}`);
      await runner.commitTransaction();
    } catch (error) {
      await abandon(runner);
      current?.reject(error);
      for (const { job } of committed) job.reject(error);
      return;
    } finally {
      forgetTransactionMemo(runner.manager);
      await runner.release();
      for (const { job, error } of failed) job.reject(error);
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
