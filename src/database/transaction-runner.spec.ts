import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app.config';
import { dataSourceOptions } from './data-source-options';
import { TransactionRunner } from './transaction-runner';

/** The SQLite write queue, on a real in-memory SQLite database. */
describe('TransactionRunner (SQLite write queue)', () => {
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

  it('runs concurrent writers one after another, each with its own result, and counts them while queued', async () => {
    const writers = Array.from({ length: 40 }, (_, i) => `item-${String(i).padStart(2, '0')}`);
    const results = writers.map(insert);
    expect(runner.queueDepth).toBe(writers.length);
    expect(await Promise.all(results)).toEqual(writers);
    expect(await names()).toEqual(writers);
    expect(runner.queueDepth).toBe(0);
  });

  it('rolls back only the writer that failed; the ones queued beside it commit', async () => {
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

  it('a later writer sees what an earlier one wrote', async () => {
    const [, seen] = await Promise.all([
      insert('x'),
      runner.run(async (tx) => (await tx.query<{ n: number }[]>('SELECT COUNT(*) AS "n" FROM "items"'))[0].n),
    ]);
    expect(seen).toBe(1);
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
