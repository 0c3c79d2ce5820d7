import { TransactionRunner } from '../../src/database/transaction-runner';
import { TestApp } from './test-app';

export interface WriteHold {
  /** Resolves once `writers` transactions wait behind the hold (each request has read and decided by then). */
  waitForWriters(writers: number): Promise<void>;
  release(): Promise<void>;
}

const POLL_MS = 10;
const WAIT_LIMIT_MS = 15000;

async function until(condition: () => Promise<boolean> | boolean, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_LIMIT_MS;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * Makes concurrent requests overlap for certain: holds a transaction open so their writes queue behind it after
 * they have read the row. SQLite: the hold occupies the one write queue. PostgreSQL: the hold locks the row
 * (`FOR UPDATE`), so the requests' reads pass and their UPDATEs wait on the lock.
 */
export async function holdWrites(t: TestApp, table: string, id: string): Promise<WriteHold> {
  const runner = t.app.get(TransactionRunner);
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let holding!: () => void;
  const held = new Promise<void>((resolve) => (holding = resolve));
  const postgres = t.database.kind === 'postgres';
  const done = runner.run(async (tx) => {
    if (postgres) await tx.query(`SELECT 1 FROM "${table}" WHERE "id" = $1 FOR UPDATE`, [id]);
    holding();
    await gate;
  });
  await held;
  return {
    waitForWriters: (writers) =>
      until(async () => {
        if (!postgres) return runner.queueDepth >= writers + 1;
        const [row] = await t.dataSource.query<{ n: number }[]>(
          `SELECT COUNT(*)::int AS "n" FROM pg_stat_activity WHERE "datname" = current_database() AND "wait_event_type" = 'Lock'`,
        );
        return row.n >= writers;
      }, `${writers} writer(s) behind the hold`),
    release: async () => {
      release();
      await done;
    },
  };
}
