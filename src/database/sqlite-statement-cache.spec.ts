import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StatementCachingDatabase, STATEMENT_CACHE_SIZE } from './sqlite-statement-cache';

describe('StatementCachingDatabase', () => {
  let dir: string;
  let db: StatementCachingDatabase;
  let prepares: number;

  const run = (sql: string, params: unknown[] = []) =>
    new Promise<{ lastID: number; changes: number }>((resolve, reject) =>
      db.run(sql, params, function (this: { lastID: number; changes: number }, error: Error | null) {
        if (error) reject(error);
        else resolve({ lastID: this.lastID, changes: this.changes });
      }),
    );
  const all = (sql: string, params?: unknown[]) =>
    new Promise<unknown[]>((resolve, reject) =>
      db.all(sql, params, (error: Error | null, rows: unknown[]) => (error ? reject(error) : resolve(rows))),
    );

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'statement-cache-'));
    db = await new Promise<StatementCachingDatabase>((resolve, reject) => {
      const opened = new StatementCachingDatabase(join(dir, 'db.sqlite'), (error) =>
        error ? reject(error) : resolve(opened),
      );
    });
    await all('CREATE TABLE t (id integer PRIMARY KEY, v text NOT NULL UNIQUE)');
    prepares = 0;
    const prepare = db.prepare.bind(db) as (...args: unknown[]) => unknown;
    (db as unknown as { prepare: (...args: unknown[]) => unknown }).prepare = (...args: unknown[]) => {
      prepares++;
      return prepare(...args);
    };
  });

  afterEach(async () => {
    await new Promise<void>((resolve, reject) => db.close((error) => (error ? reject(error) : resolve())));
    rmSync(dir, { recursive: true, force: true });
  });

  it('prepares a statement once and runs it again with new parameters, with lastID and changes as sqlite3 gives', async () => {
    expect(await run('INSERT INTO t (v) VALUES (?)', ['a'])).toEqual({ lastID: 1, changes: 1 });
    expect(await run('INSERT INTO t (v) VALUES (?)', ['b'])).toEqual({ lastID: 2, changes: 1 });
    expect(await all('SELECT v FROM t WHERE id > ? ORDER BY id', [0])).toEqual([{ v: 'a' }, { v: 'b' }]);
    expect(await all('SELECT v FROM t WHERE id > ? ORDER BY id', [1])).toEqual([{ v: 'b' }]);
    expect(prepares).toBe(2);
  });

  it('after a failed step the connection still opens savepoints and commits (the failed statement is dropped)', async () => {
    await run('INSERT INTO t (v) VALUES (?)', ['a']);
    await all('PRAGMA journal_mode = WAL');
    // Another connection holds the write lock: the INSERT fails with SQLITE_BUSY (no busy timeout here).
    const other = new StatementCachingDatabase(join(dir, 'db.sqlite'));
    const onOther = (sql: string) =>
      new Promise<void>((resolve, reject) => other.exec(sql, (error) => (error ? reject(error) : resolve())));
    await onOther('BEGIN IMMEDIATE');
    await all('BEGIN');
    await all('SAVEPOINT w');
    await expect(run('INSERT INTO t (v) VALUES (?)', ['b'])).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    await onOther('COMMIT');
    await new Promise<void>((resolve) => other.close(() => resolve()));
    await all('ROLLBACK TO SAVEPOINT w');
    await all('SAVEPOINT w');
    await expect(run('INSERT INTO t (v) VALUES (?)', ['a'])).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT' });
    await all('ROLLBACK TO SAVEPOINT w');
    await all('SAVEPOINT w');
    await run('INSERT INTO t (v) VALUES (?)', ['c']);
    await all('COMMIT');
    expect(await all('SELECT v FROM t ORDER BY id')).toEqual([{ v: 'a' }, { v: 'c' }]);
  });

  it('reports a statement that does not prepare, as sqlite3 does, and keeps nothing of it', async () => {
    await expect(all('SELEC nothing', [])).rejects.toThrow(/syntax error/);
    await expect(all('SELEC nothing', [])).rejects.toThrow(/syntax error/);
    expect(prepares).toBe(2);
  });

  it('does not keep a statement with placeholders called without parameters, nor a run that may give rows', async () => {
    await run('INSERT INTO t (v) VALUES (?)', ['a']);
    await expect(all('SELECT v FROM t WHERE v = ?', [])).resolves.toEqual([]);
    await expect(all('SELECT v FROM t WHERE v = ?', [])).resolves.toEqual([]);
    expect(prepares).toBe(1); // the INSERT; the SELECTs went sqlite3's own way
    await run('INSERT INTO t (v) VALUES (?) RETURNING id', ['b']);
    await all('BEGIN');
    await all('COMMIT'); // no statement left in progress
  });

  it(`keeps at most ${STATEMENT_CACHE_SIZE} statements, the least recently used going first`, async () => {
    for (let i = 0; i <= STATEMENT_CACHE_SIZE; i++) await all(`SELECT ${i} AS n WHERE 1 = ?`, [1]);
    expect(prepares).toBe(STATEMENT_CACHE_SIZE + 1);
    await all(`SELECT ${STATEMENT_CACHE_SIZE} AS n WHERE 1 = ?`, [1]); // kept
    await all('SELECT 0 AS n WHERE 1 = ?', [1]); // evicted: prepared again
    expect(prepares).toBe(STATEMENT_CACHE_SIZE + 2);
  });
});
