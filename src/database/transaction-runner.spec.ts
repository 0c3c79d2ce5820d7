import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app.config';
import { dataSourceOptions } from './data-source-options';
import { GROUP_COMMIT_LIMIT, TransactionRunner } from './transaction-runner';

/** The SQLite write queue with group commit, on a real in-memory SQLite database. */
describe('TransactionRunner (SQLite group commit)', () => {
  let dataSource: DataSource;
  let runner: TransactionRunner;

  const names = async () =>
    (await dataSource.query<{ name: string }[]>('SELECT "name" FROM "items" ORDER BY "name"')).map((r) => r.name);
  const insert = (name: string) =>
    runner.run(async (tx) => {
      await tx.query('INSERT INTO "items" ("name") VALUES (?)', [name]);
      return name;
    });

  beforeEach(async () => {
    const database = { kind: 'sqlite' as const, url: '', sqlitePath: ':memory:' };
    dataSource = new DataSource({ ...dataSourceOptions(database), entities: [], migrations: [] });
    await dataSource.initialize();
    await dataSource.query('CREATE TABLE "items" ("name" varchar PRIMARY KEY)');
    runner = new TransactionRunner(dataSource, { database } as AppConfig);
  });
  afterEach(async () => dataSource.destroy());

  it('commits a burst of concurrent writers in groups, each with its own result, and counts them while queued', async () => {
    const writers = Array.from({ length: GROUP_COMMIT_LIMIT + 8 }, (_, i) => `item-${String(i).padStart(2, '0')}`);
    // SQLite's TypeORM driver shares one query runner, which the transactions run on.
    const query = jest.spyOn(dataSource.createQueryRunner(), 'query');
    const results = writers.map(insert);
    expect(runner.queueDepth).toBe(writers.length);
    expect(await Promise.all(results)).toEqual(writers);
    expect(await names()).toEqual(writers);
    expect(runner.queueDepth).toBe(0);
    const commits = query.mock.calls.filter(([sql]) => sql === 'COMMIT').length;
    expect(commits).toBe(2); // a full group and the rest
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
    const after = insert('next');
    await expect(before).rejects.toThrow(/savepoint/i);
    await expect(breaking).rejects.toThrow(/savepoint/i);
    await expect(after).resolves.toBe('next');
    expect(await names()).toEqual(['next']);
  });

  it('PostgreSQL transactions bypass the queue', async () => {
    const transaction = jest.fn().mockResolvedValue('done');
    const postgres = new TransactionRunner(
      { transaction } as unknown as DataSource,
      {
        database: { kind: 'postgres', url: 'postgres://x', sqlitePath: '' },
      } as AppConfig,
    );
    await expect(postgres.run(() => Promise.resolve('ignored'))).resolves.toBe('done');
    expect(transaction).toHaveBeenCalledTimes(1);
    expect(postgres.queueDepth).toBe(0);
  });
});
