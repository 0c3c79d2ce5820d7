import * as path from 'node:path';
import * as sqlite3 from 'sqlite3';
import { DataSource, DataSourceOptions } from 'typeorm';
import { makePrivateDir, prepareSqliteFile } from '../common/private-files';
import { DatabaseConfig } from '../config/app.config';
import { ENTITIES } from './entities';
import { statementCachingSqlite3 } from './sqlite-statement-cache';

/**
 * Migrations are generated per database kind (TypeORM emits driver-specific SQL); the drift test checks both.
 * The glob matches .ts under ts-node/ts-jest and .js in the compiled build.
 */
export function migrationsGlob(kind: DatabaseConfig['kind']): string {
  return path.join(__dirname, 'migrations', kind, '*.{ts,js}');
}

/**
 * The sqlite3 module as TypeORM's driver, minus the verbose mode TypeORM switches on: verbose wraps every call to
 * capture a stack trace and util.inspect its arguments, 5 % of the CPU of POST /api/v1/systems (issue 18.4). SQL
 * errors keep their message and TypeORM's QueryFailedError, without the extra call-site lines.
 */
const QUIET_SQLITE3 = Object.create(sqlite3, { verbose: { value: () => sqlite3 } }) as typeof sqlite3;

const WRITER_SQLITE3 = statementCachingSqlite3(QUIET_SQLITE3);

export function dataSourceOptions(database: DatabaseConfig): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: [migrationsGlob(database.kind)],
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
  };
  if (database.kind === 'postgres') {
    return { ...common, type: 'postgres', url: database.url, extra: { max: 10 } };
  }
  if (database.sqlitePath !== ':memory:') {
    makePrivateDir(path.dirname(database.sqlitePath));
    prepareSqliteFile(database.sqlitePath);
  }
  return {
    ...common,
    type: 'sqlite',
    driver: QUIET_SQLITE3,
    database: database.sqlitePath,
    enableWAL: database.sqlitePath !== ':memory:',
    busyTimeout: 10000,
  };
}

/** SQLite's durability and integrity settings, which each connection holds for itself. */
export async function applySqlitePragmas(connection: DataSource): Promise<void> {
  await connection.query('PRAGMA synchronous = FULL');
  await connection.query('PRAGMA foreign_keys = ON');
}

/**
 * The connection SQLite write transactions run on (see TransactionRunner), opened beside the app's DataSource with
 * its options, on the same file, with the same pragmas; null for PostgreSQL (a pool) and for an in-memory database,
 * which a second connection would not share.
 */
export async function sqliteWriter(reads: DataSource): Promise<DataSource | null> {
  const { options } = reads;
  if (options.type !== 'sqlite' || options.database === ':memory:') return null;
  // Its statements are kept prepared: its transactions run one statement after another (see sqlite-statement-cache).
  const writer = new DataSource({ ...options, name: 'sqlite-writer', migrations: [], driver: WRITER_SQLITE3 });
  await writer.initialize();
  await applySqlitePragmas(writer);
  return writer;
}
