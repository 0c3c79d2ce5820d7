import * as sqlite3 from 'sqlite3';

/** Prepared statements kept per connection; the least recently used one is finalised when a new one would pass it. */
export const STATEMENT_CACHE_SIZE = 64;

type Callback = (this: sqlite3.Statement, error: Error | null, rows?: unknown[]) => void;
type Method = 'run' | 'all';

/**
 * A sqlite3 connection that keeps its prepared statements, by SQL text, instead of preparing and finalising one per
 * call as sqlite3's `Database#run` and `#all` do. Each of those calls is two trips through libuv's thread pool
 * (prepare, then run), and each trip's completion waits for the event loop: on the write connection, whose
 * transactions run one statement after another while the event loop serves the other requests, a trip cost 0.05 ms
 * with the loop idle and 0.33 ms beside 0.3 ms tasks, so a create's nine statements spent most of their time
 * waiting (issue 18.4). A kept statement runs in one trip.
 *
 * Only the calls TypeORM's SQLite query runner makes are kept, `run` and `all` with an array of parameters and a
 * callback; anything else, and a statement with placeholders called without parameters (a kept statement would keep
 * its last bindings), takes sqlite3's own path. A statement is kept once it has prepared; one that fails to prepare
 * reports its error to the caller as sqlite3's path would and is not kept. Errors, `lastID` and `changes` reach the
 * callback as they do from sqlite3's path, so TypeORM's QueryFailedError, its retry on SQLITE_BUSY and its insert ids
 * are the same. sqlite3 queues the calls on one statement behind each other, and a schema change re-prepares a kept
 * statement inside SQLite. Closing finalises every kept statement first (SQLite refuses to close beside one).
 */
export class StatementCachingDatabase extends sqlite3.Database {
  private readonly statements = new Map<string, sqlite3.Statement>();
  private readonly finalising = new WeakMap<sqlite3.Statement, Promise<void>>();

  run(sql: string, ...args: unknown[]): this {
    if (!this.kept('run', sql, args))
      (sqlite3.Database.prototype.run as (...a: unknown[]) => this).call(this, sql, ...args);
    return this;
  }

  all(sql: string, ...args: unknown[]): this {
    if (!this.kept('all', sql, args))
      (sqlite3.Database.prototype.all as (...a: unknown[]) => this).call(this, sql, ...args);
    return this;
  }

  close(callback?: (error: Error | null) => void): void {
    const kept = [...this.statements.values()];
    this.statements.clear();
    void Promise.all(kept.map((statement) => this.finalise(statement))).then(() => super.close(callback));
  }

  /** Runs the call on a kept statement, preparing and keeping it first if need be; false: not a call to keep. */
  private kept(method: Method, sql: string, args: unknown[]): boolean {
    const [given, callback] = args;
    // TypeORM passes undefined for BEGIN, SAVEPOINT, RELEASE and COMMIT.
    const params = given === undefined ? [] : given;
    if (args.length !== 2 || !Array.isArray(params) || typeof callback !== 'function') return false;
    if (params.length === 0 && sql.includes('?')) return false;
    // `run` steps once: a statement that gives rows would stay in progress, and SQLite refuses a COMMIT beside it.
    if (method === 'run' && (!/^(INSERT|UPDATE|DELETE) /.test(sql) || /\bRETURNING\b/i.test(sql))) return false;
    const done = callback as Callback;
    const statement = this.statements.get(sql);
    if (statement) {
      this.statements.delete(sql); // to the end: most recently used
      this.statements.set(sql, statement);
      this.call(sql, statement, method, params, done);
      return true;
    }
    const prepared: sqlite3.Statement = this.prepare(sql, (error: Error | null) => {
      if (error) {
        done.call(prepared, error);
        return;
      }
      if (!this.statements.has(sql)) this.keep(sql, prepared);
      this.call(sql, prepared, method, params, done);
      // Another call prepared the same text meanwhile and that one is kept: this one goes after its call.
      if (this.statements.get(sql) !== prepared) void this.finalise(prepared);
    });
    return true;
  }

  /**
   * One call on a statement. A statement whose step failed (SQLITE_BUSY, a constraint) stays in progress until it is
   * reset, and SQLite then refuses every SAVEPOINT and COMMIT on the connection; so it is dropped and finalised, and
   * the caller hears of the error only once that is done, as sqlite3's own path finalises each statement.
   */
  private call(sql: string, statement: sqlite3.Statement, method: Method, params: unknown[], done: Callback): void {
    const drop = (): Promise<void> => {
      if (this.statements.get(sql) === statement) this.statements.delete(sql);
      return this.finalise(statement);
    };
    statement[method](params, function (this: sqlite3.Statement, error: Error | null, rows?: unknown[]) {
      if (!error) done.call(this, null, rows);
      else void drop().then(() => done.call(this, error));
    });
  }

  private keep(sql: string, statement: sqlite3.Statement): void {
    this.statements.set(sql, statement);
    if (this.statements.size <= STATEMENT_CACHE_SIZE) return;
    const [oldest, evicted] = this.statements.entries().next().value as [string, sqlite3.Statement];
    this.statements.delete(oldest);
    void this.finalise(evicted); // sqlite3 finalises it after the calls already queued on it
  }

  /** Finalises a statement once, however many paths let go of it (a second finalize would be an 'error' event). */
  private finalise(statement: sqlite3.Statement): Promise<void> {
    let finalised = this.finalising.get(statement);
    if (!finalised) {
      finalised = new Promise<void>((resolve) => statement.finalize(() => resolve()));
      this.finalising.set(statement, finalised);
    }
    return finalised;
  }
}

/** The sqlite3 module with StatementCachingDatabase as its Database, as a TypeORM driver (`options.driver`). */
export function statementCachingSqlite3(base: typeof sqlite3): typeof sqlite3 {
  const module = Object.create(base, {
    Database: { value: StatementCachingDatabase },
    verbose: { value: () => module },
  }) as typeof sqlite3;
  return module;
}
