import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Database } from 'sqlite3';
import { PDF_RENDERER, PdfRenderer, RenderedPdf } from '../../src/pdf/chromium-pdf-renderer';
import { bootApp } from '../factories/boot-app';
import { filesUnder } from '../factories/files';
import { makeTempDir } from '../factories/test-database';
import { allFrameworksSystem } from '../factories/systems';
import { bearer, startTestApp, TEST_PASSWORD, TestApp } from '../factories/test-app';

const ROOT = path.resolve(__dirname, '../..');

const renderer: PdfRenderer = {
  render: (): Promise<RenderedPdf> =>
    Promise.resolve({
      pdf: Buffer.from(`%PDF-1.4\n% ${randomUUID()}\n%%EOF\n`),
      ms: 1,
      pages: 1,
    }),
  status: () => ({ status: 'up', state: 'running', executable: null }),
};

const mode = (file: string) => (fs.statSync(file).mode & 0o777).toString(8);

/** scripts/backup.ts against a running app's SQLite data dir: the copy verifies, and a tampered copy does not. */
describe('backup script (SQLite)', () => {
  let t: TestApp;
  const dest = path.join(makeTempDir('wb-backup-'), 'copy');
  let packId: string;
  let systemId: string;
  /** Issued before the backup and kept outside it, as the operations guide says. */
  let checkpoint: Record<string, unknown>;

  beforeAll(async () => {
    // Always SQLite: the backup under test is the file copy (PostgreSQL backups are pg_dump's job).
    t = await startTestApp({
      env: { DATABASE_URL: '' },
      override: (builder) => builder.overrideProvider(PDF_RENDERER).useValue(renderer),
    });
    const specialist = bearer(t.users.governance_specialist);
    const system = await t.http().post('/api/v1/systems').set(specialist).send(allFrameworksSystem()).expect(201);
    for (const [name, body] of [
      ['a.txt', 'first evidence file\n'],
      ['b.csv', 'control,result\nAIG-SEC-05,pass\n'],
      ['c.pdf', '%PDF-1.4\n%%EOF\n'],
    ]) {
      await t
        .http()
        .post(`/api/v1/systems/${system.body.id}/evidence`)
        .set(bearer(t.users.engineer))
        .field('controlCodes[]', 'AIG-SEC-05')
        .field('title', `Evidence ${name}`)
        .field('kind', 'document')
        .field('collectedAt', new Date(Date.now() - 60_000).toISOString())
        .attach('file', Buffer.from(body), {
          filename: name,
          contentType: name.endsWith('.pdf') ? 'application/pdf' : 'text/plain',
        })
        .expect(201);
    }
    systemId = system.body.id;
    packId = (
      await t
        .http()
        .post('/api/v1/packs')
        .set(specialist)
        .send({ systemId, frameworks: ['nist-ai-rmf-1.0'] })
        .expect(202)
    ).body.id;
    // Ready as committed: the backup copies the committed database, and on SQLite an API read beside the worker's
    // open finishing transaction shares its connection and can see "ready" a moment before the commit.
    const committedStatus = () =>
      new Promise<string | undefined>((resolve, reject) => {
        const db = new Database(path.join(t.config.dataDir, 'workbench.sqlite'));
        db.get('SELECT "status" FROM "evidence_packs" WHERE "id" = ?', [packId], (error, row?: { status: string }) => {
          db.close();
          if (error) reject(error);
          else resolve(row?.status);
        });
      });
    const deadline = Date.now() + 30_000;
    while ((await committedStatus()) !== 'ready') {
      if (Date.now() > deadline) throw new Error('the pack did not become ready');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    checkpoint = (await t.http().get('/api/v1/audit-log/checkpoint').set(bearer(t.users.admin)).expect(200)).body;
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(path.dirname(dest), { recursive: true, force: true });
  });

  function backup(...args: string[]) {
    return spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'scripts/backup.ts', ...args], {
      cwd: ROOT,
      env: {
        ...process.env,
        WORKBENCH_DATA_DIR: t.config.dataDir,
        DATABASE_URL: '',
        WORKBENCH_SQLITE_PATH: '',
        LOG_LEVEL: 'silent',
      },
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
    // The PDF and the system's OSCAL assessment results.
    expect(result.stdout).toContain('packs: 1 ready, 2 files checked, 0 bad');
    expect(result.stdout).toContain(
      `checkpoint key: ${path.join(t.config.dataDir, 'audit-checkpoint.key')} -> ${path.join(dest, 'audit-checkpoint.key')} (0600)`,
    );
    expect(result.stdout).toContain(
      `signing key: ${path.join(t.config.dataDir, 'signing-key.pem')} -> ${path.join(dest, 'signing-key.pem')} (0600)`,
    );
    expect(fs.statSync(path.join(dest, 'signing-key.pem')).mode & 0o777).toBe(0o600);
    expect(result.stdout).toMatch(/checkpoint: head \d+ verified with the backed-up key/);
    expect(result.stdout).toContain('backup verified');
    expect(fs.existsSync(path.join(dest, 'workbench.sqlite'))).toBe(true);
    expect(fs.readFileSync(path.join(dest, 'audit-checkpoint.key'))).toEqual(
      fs.readFileSync(path.join(t.config.dataDir, 'audit-checkpoint.key')),
    );
    expect(filesUnder(path.join(dest, 'packs'))).toEqual(
      [`${packId}.pdf`, `${packId}/assessment-results-${systemId}.json`].sort(),
    );
    // Backing up into a used directory is refused rather than overwriting a good backup.
    expect(backup(dest).status).toBe(1);
  });

  it('writes the backup private: directories 0700, database, key and checkpoint 0600, stored files 0400', () => {
    const dirs = [dest, path.join(dest, 'evidence'), path.join(dest, 'packs'), path.join(dest, 'packs', packId)];
    for (const dir of dirs) expect([dir, mode(dir)]).toEqual([dir, '700']);
    for (const file of ['workbench.sqlite', 'audit-checkpoint.key', 'audit-checkpoint.json'])
      expect([file, mode(path.join(dest, file))]).toEqual([file, '600']);
    const stored = [
      ...filesUnder(path.join(dest, 'evidence')).map((f) => path.join('evidence', f)),
      ...filesUnder(path.join(dest, 'packs')).map((f) => path.join('packs', f)),
    ];
    expect(stored.length).toBe(5);
    for (const file of stored) expect([file, mode(path.join(dest, file))]).toEqual([file, '400']);
  });

  it('restores by the documented steps: checkpoints issued before the backup verify and ready packs download', async () => {
    const restoreRoot = makeTempDir('wb-restore-');
    const dataDir = path.join(restoreRoot, 'data');
    // docs/operations.md, "Restore (SQLite)", step 3.
    fs.mkdirSync(dataDir, { mode: 0o700 });
    fs.copyFileSync(path.join(dest, 'workbench.sqlite'), path.join(dataDir, 'workbench.sqlite'));
    fs.cpSync(path.join(dest, 'evidence'), path.join(dataDir, 'evidence'), { recursive: true });
    fs.cpSync(path.join(dest, 'packs'), path.join(dataDir, 'packs'), { recursive: true });
    fs.copyFileSync(path.join(dest, 'audit-checkpoint.key'), path.join(dataDir, 'audit-checkpoint.key'));
    const restored = await bootApp({
      env: { WORKBENCH_DATA_DIR: dataDir, WORKBENCH_SQLITE_PATH: '', DATABASE_URL: '' },
      override: (builder) => builder.overrideProvider(PDF_RENDERER).useValue(renderer),
    });
    try {
      const login = await restored
        .http()
        .post('/api/v1/auth/login')
        .send({ email: 'admin@example.test', password: TEST_PASSWORD })
        .expect(200);
      const admin = { Authorization: `Bearer ${login.body.token}` };
      const verdict = await restored
        .http()
        .post('/api/v1/audit-log/checkpoint/verify')
        .set(admin)
        .send(checkpoint)
        .expect(200);
      expect(verdict.body).toEqual({ valid: true, problem: null });
      await restored.http().get(`/api/v1/packs/${packId}/pdf`).set(admin).expect(200);
      await restored.http().get(`/api/v1/packs/${packId}/bundle`).set(admin).expect(200);
    } finally {
      await restored.close();
      fs.rmSync(restoreRoot, { recursive: true, force: true });
    }
  });

  it('fails verification when the pack files or the checkpoint key of the copy are wrong', () => {
    const pdf = path.join(dest, 'packs', `${packId}.pdf`);
    const original = fs.readFileSync(pdf);
    fs.chmodSync(pdf, 0o600);
    fs.writeFileSync(pdf, Buffer.concat([original, Buffer.from('\n')]));
    const tamperedPdf = backup('--verify', dest);
    expect(tamperedPdf.status).toBe(1);
    expect(tamperedPdf.stderr).toContain(`pack ${packId} PDF does not match its hash`);
    fs.writeFileSync(pdf, original);

    const key = path.join(dest, 'audit-checkpoint.key');
    const originalKey = fs.readFileSync(key);
    fs.rmSync(key);
    const noKey = backup('--verify', dest);
    expect(noKey.status).toBe(1);
    expect(noKey.stderr).toContain('checkpoint cannot be verified');
    fs.writeFileSync(key, 'ab'.repeat(32), { mode: 0o600 });
    const otherKey = backup('--verify', dest);
    expect(otherKey.status).toBe(1);
    expect(otherKey.stderr).toContain('checkpoint signature does not match the checkpoint key');
    fs.writeFileSync(key, originalKey);
    expect(backup('--verify', dest).status).toBe(0);
  });

  it('fails verification when the copy is tampered with', async () => {
    expect(backup('--verify', dest).status).toBe(0);
    await exec(
      path.join(dest, 'workbench.sqlite'),
      `UPDATE "audit_log" SET "actor" = 'mallory@example.test' WHERE "seq" = 2`,
    );
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
