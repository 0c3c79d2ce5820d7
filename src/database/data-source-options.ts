import * as path from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { makePrivateDir, prepareSqliteFile } from '../common/private-files';
import { DatabaseConfig } from '../config/app.config';
import { ENTITIES } from './entities';

/**
 * Migrations are generated per database kind (TypeORM emits driver-specific SQL); the drift test checks both.
 * The glob matches .ts under ts-node/ts-jest and .js in the compiled build.
 */
export function migrationsGlob(kind: DatabaseConfig['kind']): string {
  return path.join(__dirname, 'migrations', kind, '*.{ts,js}');
}

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
    database: database.sqlitePath,
    enableWAL: database.sqlitePath !== ':memory:',
    busyTimeout: 10000,
  };
}
