import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { AppConfig, DatabaseConfig } from '../config/app.config';
import { dataSourceOptions, sqliteWriter } from './data-source-options';
import { GROUP_COMMIT_LIMIT, TransactionRunner } from './transaction-runner';

/** The SQLite write queue on a real SQLite file: a writer connection of its own, group commit, reads apart. */
describe('TransactionRunner (SQLite write queue)', () => {
  let dir: string;
  let reads: DataSource;
  let writer: DataSource;
  let runner: TransactionRunner;

  const names = async () =>
    (await reads.query<{ name: string }[]>('SELECT "name" FROM "items" ORDER BY "name"')).map((r) => r.name);
  const insert = (name: string) =>
    runner.run(async (tx) => {
      await tx.query('INSERT INTO "items" ("name") VALUES (?)', [name]);
      return name;
    });

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'tx-runner-'));
    const database: DatabaseConfig = { kind: 'sqlite', url: '', sqlitePath: path.join(dir, 'db.sqlite') };
    reads = new DataSource({ ...dataSourceOptions(database), entities: [], migrations: [] });
    await reads.initialize();
    await reads.query('CREATE TABLE "items" ("name" varchar PRIMARY KEY)');
    writer = (await sqliteWriter(reads))!;
    runner = new TransactionRunner(reads, { database } as AppConfig, writer);
  });
  afterEach(async () => {
    await runner.onApplicationShutdown();
    await reads.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('commits a burst of concurrent writers in groups, each with its own result, and counts them while queued', async () => {
    const writers = Array.from({ length: GROUP_COMMIT_LIMIT + 8 }, (_, i) => `item-${String(i).padStart(2, '0')}`);
    // SQLite's TypeORM driver shares one query runner per DataSource: the writer's is the one transactions run on.
    const query = jest.spyOn(writer.createQueryRunner(), 'query');
    const results = writers.map(insert);
    expect(runner.queueDepth).toBe(writers.length);
    expect(await Promise.all(results)).toEqual(writers);
    expect(await names()).toEqual(writers);
    expect(runner.queueDepth).toBe(0);
    const commits = query.mock.calls.filter(([sql]) => sql === 'COMMIT').length;
    expect(commits).toBe(2); // a full group and the rest
  });

  it('a read outside the queue never sees the rows of a transaction still open on the writer', async () => {
    let seenDuring: string[] = [];
    await runner.run(async (tx) => {
      await tx.query('INSERT INTO "items" ("name") VALUES (?)', ['open']);
      seenDuring = await names();
    });
    expect(seenDuring).toEqual([]);
    expect(await names()).toEqual(['open']);
  });

  it('resolves a writer only once its group has committed, so what it wrote is readable when it hears back', async () => {
    const seen = await Promise.all(['p', 'q', 'r'].map(async (name) => (await insert(name), names())));
    for (const names of seen) expect(names).toEqual(['p', 'q', 'r']);
  });

  it('rolls back only the writer that failed; the rest of its group commits', async () => {
    const first = insert('a');
    const failing = runner.run(async (tx) => {
      await tx.query('INSERT INTO "items" ("name") VALUES (?)', ['b']);
      await tx.query('INSERT INTO "items" ("name") VALUES (?)', ['a']); // duplicate key: the work fails
    });
    const third = insert('c');
    await expect(failing).rejects.toThrow(/UNIQUE/);
    await expect(first).resolves.toBe('a');
    await expect(third).resolves.toBe('c');
    expect(await names()).toEqual(['a', 'c']);
  });

  it('tells a writer that failed only after its group committed, so it can read what it collided with', async () => {
    const winner = insert('key');
    const loser = runner.run((tx) => tx.query('INSERT INTO "items" ("name") VALUES (?)', ['key']));
    const seenByLoser = loser.catch(async (error: Error) => ({ error: error.message, names: await names() }));
    await winner;
    expect(await seenByLoser).toEqual({ error: expect.stringMatching(/UNIQUE/), names: ['key'] });
  });

  it('a later writer sees what an earlier one in the same group wrote', async () => {
    const [, seen] = await Promise.all([
      insert('x'),
      runner.run(async (tx) => (await tx.query<{ n: number }[]>('SELECT COUNT(*) AS "n" FROM "items"'))[0].n),
    ]);
    expect(seen).toBe(1);
  });

  it('when the shared transaction is lost, rejects the writers of its group, and the next group still commits', async () => {
    const before = insert('lost');
    // Ends the group's transaction under the runner, as SQLite does on its own after a full disk or an I/O error.
    const breaking = runner.run((tx) => tx.query('ROLLBACK'));
    // Queued in the same group: it runs after the loss (in a transaction SQLite begins anew) and is not committed.
    const after = insert('after');
    await expect(before).rejects.toThrow(/savepoint/i);
    await expect(breaking).rejects.toThrow(/savepoint/i);
    await expect(after).rejects.toThrow(/savepoint/i);
    await expect(insert('next')).resolves.toBe('next');
    expect(await names()).toEqual(['next']);
  });

  it('a writer that fails is rolled back alone, whatever its place in the group', async () => {
    const failing = (name: string) =>
      runner.run(async (tx) => {
        await tx.query('INSERT INTO "items" ("name") VALUES (?)', [name]);
        throw new Error(`${name} failed`);
      });
    const results = await Promise.allSettled([
      failing('f1'),
      insert('a'),
      failing('f2'),
      failing('f3'),
      insert('b'),
      failing('f4'),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      'rejected',
      'fulfilled',
      'rejected',
      'rejected',
      'fulfilled',
      'rejected',
    ]);
    expect(await names()).toEqual(['a', 'b']);
  });
});

describe('TransactionRunner (one connection or PostgreSQL)', () => {
  it('on an in-memory SQLite database commits each writer on its own', async () => {
    const database: DatabaseConfig = { kind: 'sqlite', url: '', sqlitePath: ':memory:' };
    const reads = new DataSource({ ...dataSourceOptions(database), entities: [], migrations: [] });
    await reads.initialize();
    expect(await sqliteWriter(reads)).toBeNull();
    try {
      await reads.query('CREATE TABLE "items" ("name" varchar PRIMARY KEY)');
      const runner = new TransactionRunner(reads, { database } as AppConfig, null);
      const query = jest.spyOn(reads.createQueryRunner(), 'query');
      const written = ['m', 'n', 'o'].map((name) =>
        runner.run((tx) => tx.query('INSERT INTO "items" ("name") VALUES (?)', [name])),
      );
      await Promise.all(written);
      expect(query.mock.calls.filter(([sql]) => sql === 'COMMIT')).toHaveLength(3);
    } finally {
      await reads.destroy();
    }
  });

  it('PostgreSQL transactions bypass the queue', async () => {
    const transaction = jest.fn().mockResolvedValue('done');
    const postgres = new TransactionRunner(
      { transaction } as unknown as DataSource,
      { database: { kind: 'postgres', url: 'postgres://x', sqlitePath: '' } } as AppConfig,
      null,
    );
    await expect(postgres.run(() => Promise.resolve('ignored'))).resolves.toBe('done');
    expect(transaction).toHaveBeenCalledTimes(1);
    expect(postgres.queueDepth).toBe(0);
  });
});
