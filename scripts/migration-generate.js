#!/usr/bin/env node
// Generates a migration for both database kinds from the entity changes: `npm run migration:generate -- AddThing`.
// SQLite uses a scratch file; PostgreSQL uses MIGRATION_DATABASE_URL (default: a scratch database on 127.0.0.1).
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const name = process.argv[2];
if (!name || !/^[A-Za-z][A-Za-z0-9]*$/.test(name)) {
  console.error('usage: npm run migration:generate -- <MigrationName> (letters and digits)');
  process.exit(2);
}
const cli = path.join(__dirname, '..', 'node_modules', '.bin', 'typeorm-ts-node-commonjs');
const run = (env, args) =>
  execFileSync(cli, ['-d', 'ormconfig.ts', ...args], { stdio: 'inherit', env: { ...process.env, ...env } });

const scratch = path.join(os.tmpdir(), `workbench-migrate-${process.pid}.sqlite`);
try {
  const sqliteEnv = { DATABASE_URL: '', WORKBENCH_SQLITE_PATH: scratch };
  run(sqliteEnv, ['migration:run']);
  run(sqliteEnv, ['migration:generate', `src/database/migrations/sqlite/${name}`]);
} finally {
  fs.rmSync(scratch, { force: true });
}

const pgUrl = process.env.MIGRATION_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/workbench_migrate';
const admin = new URL(pgUrl);
const dbName = admin.pathname.slice(1);
admin.pathname = '/postgres';
execFileSync(
  'psql',
  [admin.toString(), '-qc', `DROP DATABASE IF EXISTS "${dbName}"`, '-c', `CREATE DATABASE "${dbName}"`],
  { stdio: 'inherit' },
);
try {
  run({ DATABASE_URL: pgUrl }, ['migration:run']);
  run({ DATABASE_URL: pgUrl }, ['migration:generate', `src/database/migrations/postgres/${name}`]);
} finally {
  execFileSync('psql', [admin.toString(), '-qc', `DROP DATABASE IF EXISTS "${dbName}"`], { stdio: 'inherit' });
}
