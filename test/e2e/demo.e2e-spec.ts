import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createTestDatabase, makeTempDir, TestDatabase } from '../factories/test-database';

const ROOT = path.resolve(__dirname, '../..');

/** Runs scripts/demo.ts (the seeding half of `npm run demo`) against a new data directory and database. */
function runDemo(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'scripts/demo.ts'], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'silent', WORKBENCH_ADMIN_EMAIL: '', WORKBENCH_ADMIN_PASSWORD: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run demo (e2e)', () => {
  let dataDir: string;
  let database: TestDatabase;
  beforeAll(async () => {
    dataDir = makeTempDir('wb-demo-');
    database = await createTestDatabase(dataDir);
  });
  afterAll(async () => {
    await database?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('on a new data directory prints only the demo users, one per role, and no first-start admin', async () => {
    const result = await runDemo({ WORKBENCH_DATA_DIR: dataDir, ...database.env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(/admin@workbench\.local|one-time password/);
    const logins = result.stdout.split('\n').filter((line) => /@demo\.workbench\s+\S+$/.test(line));
    expect(logins.map((line) => line.trim().split(/\s+/)[0])).toEqual(['admin', 'governance_specialist', 'engineer', 'auditor']);
  });
});
