import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';

export interface TestDatabase {
  env: Record<string, string>;
  kind: 'sqlite' | 'postgres';
  url?: string;
  drop(): Promise<void>;
}

/**
 * A database of its own for one test file: a fresh SQLite file in a temp directory, or, when DATABASE_URL is set,
 * a fresh PostgreSQL database created beside the one named there (dropped afterwards).
 */
export async function createTestDatabase(dataDir: string): Promise<TestDatabase> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    return {
      env: { WORKBENCH_SQLITE_PATH: path.join(dataDir, 'workbench.sqlite'), DATABASE_URL: '' },
      kind: 'sqlite',
      drop: () => Promise.resolve(),
    };
  }
  const name = `wb_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new URL(base);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`CREATE DATABASE "${name}"`);
  await client.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    kind: 'postgres',
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: admin.toString() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

export function makeTempDir(prefix = 'wb-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
