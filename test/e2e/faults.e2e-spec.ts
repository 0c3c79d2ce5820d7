import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { AddressInfo, createServer } from 'node:net';
import * as path from 'node:path';
import { Database, OPEN_READONLY } from 'sqlite3';
import { filesUnder } from '../factories/files';
import { makeTempDir } from '../factories/test-database';
import { minimalSystem } from '../factories/systems';
import { startTestApp, TEST_PASSWORD, TestApp } from '../factories/test-app';
import { waitFor } from '../factories/wait-for';

const listed = (body: unknown): number => (Array.isArray(body) ? body.length : 0);

/**
 * Faults: many concurrent writers through HTTP (the SQLite writer queue must neither fail nor lose an acknowledged
 * write), and a SIGKILL of the real server in the middle of an upload (the restart must find a consistent store).
 *
 * FAULT_TEST_SECONDS sets the concurrent run's length (default 30 s, on both databases); the SIGKILL test is
 * SQLite-only.
 */
const ON_POSTGRES = Boolean(process.env.DATABASE_URL);
const RUN_SECONDS = Number(process.env.FAULT_TEST_SECONDS || 30);
const CLIENTS = 50;
const ROOT = path.resolve(__dirname, '../..');
const ADMIN_EMAIL = 'admin@example.test';

describe('faults (e2e)', () => {
  describe('concurrent writers', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ listen: true });
    });
    afterAll(async () => t?.close());

    it(`keeps every acknowledged write from ${CLIENTS} concurrent clients over ${RUN_SECONDS} s`, async () => {
      const { port } = t.app.getHttpServer().address() as AddressInfo;
      const base = `http://127.0.0.1:${port}`;
      const auth = {
        Authorization: `Bearer ${t.users.governance_specialist.token}`,
        'Content-Type': 'application/json',
      };
      const probe = await fetch(`${base}/api/v1/systems`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify(minimalSystem({ name: 'probe' })),
      });
      const probeId = ((await probe.json()) as { id: string }).id;
      const controls = (await (
        await fetch(`${base}/api/v1/systems/${probeId}/controls`, { headers: auth })
      ).json()) as { controlCode: string }[];
      const codes = controls.slice(0, 5).map((c) => c.controlCode);
      expect(codes.length).toBeGreaterThan(0);

      const createdIds: string[] = [probeId];
      // The last acknowledged status per (system, control): each client patches only systems it created itself.
      const lastPatch = new Map<string, string>();
      const statuses: Record<number, number> = {};
      const serverErrors: string[] = [];
      const deadline = Date.now() + RUN_SECONDS * 1000;

      async function client(n: number): Promise<void> {
        const mine: string[] = [];
        for (let i = 0; Date.now() < deadline; i++) {
          let response: Response;
          let key: string | undefined;
          let status: string | undefined;
          if (mine.length === 0 || i % 3 === 0) {
            response = await fetch(`${base}/api/v1/systems`, {
              method: 'POST',
              headers: auth,
              body: JSON.stringify(minimalSystem({ name: `load ${n}-${i}` })),
            });
          } else {
            const systemId = mine[i % mine.length];
            const code = codes[i % codes.length];
            status = i % 2 ? 'in_progress' : 'implemented';
            key = `${systemId} ${code}`;
            response = await fetch(`${base}/api/v1/systems/${systemId}/controls/${code}`, {
              method: 'PATCH',
              headers: auth,
              body: JSON.stringify({ status, statement: `pass ${i}` }),
            });
          }
          statuses[response.status] = (statuses[response.status] ?? 0) + 1;
          const body = (await response.json().catch(() => ({}))) as { id?: string; message?: string };
          if (response.status >= 500 && !(response.status === 503 && response.headers.get('retry-after'))) {
            serverErrors.push(`${response.status} ${body.message ?? ''}`);
          } else if (response.status === 201 && body.id) {
            mine.push(body.id);
            createdIds.push(body.id);
          } else if (response.status === 200 && key && status) {
            lastPatch.set(key, status);
          }
        }
      }
      await Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n)));

      expect(serverErrors).toEqual([]);
      expect(createdIds.length).toBeGreaterThan(CLIENTS);
      // Only 2xx and the transition conflicts a status machine may answer (409) are expected besides 503.
      for (const status of Object.keys(statuses).map(Number)) expect([200, 201, 409, 503]).toContain(status);

      const rows = await t.dataSource.query<{ id: string }[]>('SELECT "id" FROM "ai_systems"');
      const stored = new Set(rows.map((r) => r.id));
      expect(createdIds.filter((id) => !stored.has(id))).toEqual([]);
      const implementations = await t.dataSource.query<
        {
          systemId: string;
          controlCode: string;
          status: string;
        }[]
      >('SELECT "systemId", "controlCode", "status" FROM "control_implementations"');
      const current = new Map(implementations.map((r) => [`${r.systemId} ${r.controlCode}`, r.status]));
      const lost = [...lastPatch].filter(([key, status]) => current.get(key) !== status);
      expect(lost).toEqual([]);
      const chain = await fetch(`${base}/api/v1/audit-log/verify`, {
        headers: { Authorization: `Bearer ${t.users.admin.token}` },
      });
      expect(((await chain.json()) as { valid: boolean }).valid).toBe(true);
    });
  });

  (ON_POSTGRES ? describe.skip : describe)('SIGKILL mid-upload (SQLite)', () => {
    const dataDir = makeTempDir('wb-fault-');
    let server: ChildProcess | undefined;
    let port = 0;
    let stderr = '';

    afterAll(() => {
      if (server && server.exitCode === null) server.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    async function freePort(): Promise<number> {
      return new Promise((resolve, reject) => {
        const probe = createServer();
        probe.once('error', reject);
        probe.listen(0, '127.0.0.1', () => {
          const { port: p } = probe.address() as AddressInfo;
          probe.close(() => resolve(p));
        });
      });
    }

    async function startServer(): Promise<void> {
      port = await freePort();
      stderr = '';
      const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
        cwd: ROOT,
        env: {
          ...process.env,
          WORKBENCH_DATA_DIR: dataDir,
          PORT: String(port),
          HOST: '127.0.0.1',
          WORKBENCH_ADMIN_EMAIL: ADMIN_EMAIL,
          WORKBENCH_ADMIN_PASSWORD: TEST_PASSWORD,
          LOG_LEVEL: 'warn',
          DATABASE_URL: '',
          WORKBENCH_SQLITE_PATH: '',
          TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json'),
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      server = child;
      await waitFor(
        async () => {
          if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${stderr}`);
          return fetch(`http://127.0.0.1:${port}/health`).then(
            (r) => r.status === 200,
            () => false,
          );
        },
        { timeoutMs: 60_000, intervalMs: 200, what: 'the server to become healthy' },
      ).catch((error: Error) => {
        throw new Error(`${error.message}: ${stderr}`);
      });
    }

    async function kill(): Promise<void> {
      const child = server!;
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }

    async function api(method: string, url: string, token?: string, body?: unknown) {
      const response = await fetch(`http://127.0.0.1:${port}${url}`, {
        method,
        headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json().catch(() => ({}))) as Record<string, unknown> };
    }

    /** Sends a multipart upload of `size` bytes in small slices; resolves when `stopWhen` says so (or the body is sent). */
    function slowUpload(
      systemId: string,
      token: string,
      code: string,
      size: number,
      stopWhen: (sent: number) => boolean,
    ) {
      const boundary = 'faultboundary';
      const fields = {
        'controlCodes[]': code,
        title: 'Large log export',
        kind: 'log_export',
        collectedAt: new Date(Date.now() - 60_000).toISOString(),
      };
      const head =
        Object.entries(fields)
          .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
          .join('') +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="export.txt"\r\nContent-Type: text/plain\r\n\r\n`;
      const tail = `\r\n--${boundary}--\r\n`;
      const request = http.request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: `/api/v1/systems/${systemId}/evidence`,
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': `multipart/form-data; boundary=${boundary}`,
          'Content-Length': Buffer.byteLength(head) + size + Buffer.byteLength(tail),
        },
      });
      request.on('error', () => undefined);
      request.on('response', (r) => r.resume());
      return new Promise<{ sent: number }>((resolve) => {
        request.write(head);
        let sent = 0;
        const slice = Buffer.alloc(64 * 1024, 'log line of a large export\n');
        const pump = () => {
          if (stopWhen(sent)) return resolve({ sent });
          if (sent >= size) {
            request.end(tail);
            return resolve({ sent });
          }
          const chunk = slice.subarray(0, Math.min(slice.length, size - sent));
          sent += chunk.length;
          // A load shape, not a wait: a throttled writer keeps the body streaming long enough to be killed mid-way.
          request.write(chunk, () => setTimeout(pump, 5));
        };
        pump();
      });
    }

    it('restarts to a consistent store: no orphan file or temp file, no row without its file, chain valid', async () => {
      await startServer();
      const login = await api('POST', '/api/v1/auth/login', undefined, { email: ADMIN_EMAIL, password: TEST_PASSWORD });
      expect(login.status).toBe(200);
      const token = login.body.token as string;
      const system = await api('POST', '/api/v1/systems', token, minimalSystem());
      expect(system.status).toBe(201);
      const systemId = system.body.id as string;
      const controls = await fetch(`http://127.0.0.1:${port}/api/v1/systems/${systemId}/controls`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      const code = ((await controls.json()) as { controlCode: string }[])[0].controlCode;

      // One complete upload first: it must survive the crash intact.
      await slowUpload(systemId, token, code, 256 * 1024, () => false);
      const evidenceDir = path.join(dataDir, 'evidence');
      const tempDir = path.join(evidenceDir, 'tmp');
      // Stored and committed: the file sits at its content address, the row is listed and no temp file is left.
      await waitFor(
        async () =>
          filesUnder(evidenceDir).some((f) => /^[0-9a-f]{2}\//.test(f)) &&
          (!fs.existsSync(tempDir) || fs.readdirSync(tempDir).length === 0) &&
          listed((await api('GET', `/api/v1/systems/${systemId}/evidence`, token)).body) === 1,
        { timeoutMs: 20_000, intervalMs: 50, what: 'the first upload to be stored and committed' },
      );
      const afterFirst = filesUnder(evidenceDir).filter((f) => !f.startsWith('tmp'));

      // The second upload is killed while its body streams into a temp file.
      let stagedSeen = false;
      await slowUpload(systemId, token, code, 8 * 1024 * 1024, (sent) => {
        stagedSeen = stagedSeen || (fs.existsSync(tempDir) && fs.readdirSync(tempDir).length > 0);
        return stagedSeen && sent > 2 * 1024 * 1024;
      });
      expect(fs.readdirSync(tempDir).length).toBeGreaterThan(0);
      await kill();

      await startServer();
      expect(fs.readdirSync(tempDir)).toEqual([]);
      expect(filesUnder(evidenceDir).filter((f) => !f.startsWith('tmp'))).toEqual(afterFirst);
      const relogin = await api('POST', '/api/v1/auth/login', undefined, {
        email: ADMIN_EMAIL,
        password: TEST_PASSWORD,
      });
      const verify = await api('GET', '/api/v1/audit-log/verify', relogin.body.token as string);
      expect(verify.body.valid).toBe(true);
      await kill();

      const db = new Database(path.join(dataDir, 'workbench.sqlite'), OPEN_READONLY);
      const all = (sql: string) =>
        new Promise<Record<string, unknown>[]>((resolve, reject) =>
          db.all(sql, (e, rows) => (e ? reject(e) : resolve(rows as Record<string, unknown>[]))),
        );
      try {
        expect(await all('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
        const hashes = (await all('SELECT sha256 FROM evidence')).map((r) => String(r.sha256));
        expect(hashes.length).toBe(1);
        const stored = filesUnder(evidenceDir).map((f) => path.basename(f));
        expect(stored.sort()).toEqual([...new Set(hashes)].sort());
      } finally {
        await new Promise((r) => db.close(r));
      }
    });
  });
});
