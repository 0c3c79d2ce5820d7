import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Database } from 'sqlite3';
import { makeTempDir } from '../factories/test-database';
import { allFrameworksSystem } from '../factories/systems';
import { bearer, startTestApp, TestApp } from '../factories/test-app';

const ROOT = path.resolve(__dirname, '../..');

/** scripts/backup.ts against a running app's SQLite data dir: the copy verifies, and a tampered copy does not. */
describe('backup script (SQLite)', () => {
  let t: TestApp;
  const dest = path.join(makeTempDir('wb-backup-'), 'copy');

  beforeAll(async () => {
    // Always SQLite: the backup under test is the file copy (PostgreSQL backups are pg_dump's job).
    t = await startTestApp({ env: { DATABASE_URL: '' } });
    const specialist = bearer(t.users.governance_specialist);
    const system = await t.http().post('/api/v1/systems').set(specialist).send(allFrameworksSystem()).expect(201);
    for (const [name, body] of [['a.txt', 'first evidence file\n'], ['b.csv', 'control,result\nAIG-SEC-05,pass\n'], ['c.pdf', '%PDF-1.4\n%%EOF\n']]) {
      await t
        .http()
        .post(`/api/v1/systems/${system.body.id}/evidence`)
        .set(bearer(t.users.engineer))
        .field('controlCodes[]', 'AIG-SEC-05')
        .field('title', `Evidence ${name}`)
        .field('kind', 'document')
        .field('collectedAt', new Date(Date.now() - 60_000).toISOString())
        .attach('file', Buffer.from(body), { filename: name, contentType: name.endsWith('.pdf') ? 'application/pdf' : 'text/plain' })
        .expect(201);
    }
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(path.dirname(dest), { recursive: true, force: true });
  });

  function backup(...args: string[]) {
    return spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'scripts/backup.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, WORKBENCH_DATA_DIR: t.config.dataDir, DATABASE_URL: '', WORKBENCH_SQLITE_PATH: '', LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 60_000,
    });
  }

  function exec(file: string, sql: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const db = new Database(file, (open) => {
        if (open) return reject(open);
        db.exec(sql, (error) => db.close(() => (error ? reject(error) : resolve())));
      });
    });
  }

  it('copies a running instance and verifies the copy', () => {
    const result = backup(dest);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('integrity_check: ok');
    expect(result.stdout).toMatch(/audit chain: \d+ entries, valid/);
    expect(result.stdout).toContain('evidence: 3 rows, 3 distinct files checked, 0 bad');
    expect(result.stdout).toContain('backup verified');
    expect(fs.existsSync(path.join(dest, 'workbench.sqlite'))).toBe(true);
    // Backing up into a used directory is refused rather than overwriting a good backup.
    expect(backup(dest).status).toBe(1);
  });

  it('fails verification when the copy is tampered with', async () => {
    expect(backup('--verify', dest).status).toBe(0);
    await exec(path.join(dest, 'workbench.sqlite'), `UPDATE "audit_log" SET "actor" = 'mallory@example.test' WHERE "seq" = 2`);
    const tampered = backup('--verify', dest);
    expect(tampered.status).toBe(1);
    expect(tampered.stderr).toMatch(/audit chain broken at entry 2/);

    const [sha] = fs.readdirSync(path.join(dest, 'evidence')).filter((d) => /^[0-9a-f]{2}$/.test(d));
    const sub = fs.readdirSync(path.join(dest, 'evidence', sha))[0];
    const file = fs.readdirSync(path.join(dest, 'evidence', sha, sub))[0];
    fs.rmSync(path.join(dest, 'evidence', sha, sub, file), { force: true });
    const missing = backup('--verify', dest);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain(`evidence file ${file} is missing`);
  });
});
