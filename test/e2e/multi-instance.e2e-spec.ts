import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import * as fs from 'node:fs';
import * as path from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { setupApp } from '../../src/app.setup';
import { APP_CONFIG, loadConfig } from '../../src/config/app.config';
import { PolicyLoader } from '../../src/catalog/policy-loader.service';
import { migrationsGlob } from '../../src/database/data-source-options';
import { PackWorker } from '../../src/evidence-packs/pack-worker.service';
import { minimalSystem } from '../factories/systems';
import { TEST_PASSWORD } from '../factories/test-app';
import { createTestDatabase, makeTempDir, TestDatabase } from '../factories/test-database';
import { waitFor } from '../factories/wait-for';

/**
 * Two app instances on one PostgreSQL database and one data directory, as docs/operations.md ("Several instances")
 * describes: sessions, the pack queue and the audit chain are shared through the database. PostgreSQL only: two
 * processes must never share one SQLite file.
 */
const maybe = process.env.DATABASE_URL ? describe : describe.skip;
const ADMIN_EMAIL = 'admin@example.test';
// One key for both instances, so a checkpoint signed on one verifies on the other.
const AUDIT_KEY = 'ab'.repeat(32);

interface Instance {
  name: string;
  app: INestApplication;
  workerId: string;
  http: () => ReturnType<typeof request>;
}

async function bootInstance(name: string, env: Record<string, string>): Promise<Instance> {
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    WORKBENCH_LOGIN_MAX_FAILURES: '1000',
    WORKBENCH_ADMIN_EMAIL: ADMIN_EMAIL,
    WORKBENCH_ADMIN_PASSWORD: TEST_PASSWORD,
    WORKBENCH_AUDIT_KEY: AUDIT_KEY,
    PUPPETEER_EXECUTABLE_PATH: process.env.PUPPETEER_EXECUTABLE_PATH ?? '',
    ...env,
  });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(APP_CONFIG)
    .useValue(config)
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ logger: false, bodyParser: false });
  setupApp(app);
  await app.init();
  const server = app.getHttpServer();
  // The worker's claim id is private; it is read here only to say which instance rendered a pack.
  const workerId = app.get<PackWorker, { workerId: string }>(PackWorker).workerId;
  return { name, app, workerId, http: () => request(server) };
}

maybe('several instances on one PostgreSQL database (e2e)', () => {
  let dataDir: string;
  let database: TestDatabase;
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    dataDir = makeTempDir('wb-multi-');
    database = await createTestDatabase(dataDir);
    const env = { WORKBENCH_DATA_DIR: dataDir, ...database.env };
    // One after the other: the first runs the migrations and creates the admin, the second finds both done.
    a = await bootInstance('A', env);
    b = await bootInstance('B', env);
  });

  afterAll(async () => {
    await a?.app.close();
    await b?.app.close();
    await database?.drop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const login = async (instance: Instance) =>
    (await instance.http().post('/api/v1/auth/login').send({ email: ADMIN_EMAIL, password: TEST_PASSWORD }).expect(200))
      .body.token as string;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  it('accepts a session from one instance on the other, and a logout on either revokes it on both', async () => {
    const token = await login(a);
    const me = await b.http().get('/api/v1/auth/me').set(auth(token)).expect(200);
    expect(me.body.email).toBe(ADMIN_EMAIL);

    await b.http().post('/api/v1/auth/logout').set(auth(token)).expect(204);
    await a.http().get('/api/v1/auth/me').set(auth(token)).expect(401);
    await b.http().get('/api/v1/auth/me').set(auth(token)).expect(401);
  });

  it('accepts an API token made on one instance on the other, and a revoke on either stops it on both at once', async () => {
    const session = await login(a);
    const created = await a
      .http()
      .post('/api/v1/tokens')
      .set(auth(session))
      .send({ name: 'shared pipeline', permissions: ['systems:read'] })
      .expect(201);
    const token = created.body.token as string;
    await b.http().get('/api/v1/systems').set(auth(token)).expect(200);
    await b.http().delete(`/api/v1/tokens/${created.body.id}`).set(auth(session)).expect(204);
    await a.http().get('/api/v1/systems').set(auth(token)).expect(401);
    await b.http().get('/api/v1/systems').set(auth(token)).expect(401);
  });

  it('shares the pack queue: packs requested on A are each claimed and rendered once, and read as ready on B', async () => {
    const token = await login(a);
    const systemId = (
      await a
        .http()
        .post('/api/v1/systems')
        .set(auth(token))
        .send(minimalSystem({ name: 'Shared queue subject' }))
        .expect(201)
    ).body.id;

    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const created = await a.http().post('/api/v1/packs').set(auth(token)).send({ systemId }).expect(202);
      ids.push(created.body.id);
    }
    // Both workers poll every second; waking B as well makes it compete for the queue instead of idling.
    b.app.get(PackWorker).wake();

    const deadline = Date.now() + 30000;
    for (const id of ids) {
      await waitFor(
        async () => {
          const res = await b.http().get(`/api/v1/packs/${id}`).set(auth(token)).expect(200);
          if (res.body.status === 'failed') throw new Error(`pack ${id} failed: ${res.body.error}`);
          return res.body.status === 'ready';
        },
        { timeoutMs: Math.max(0, deadline - Date.now()), intervalMs: 150, what: `pack ${id} to be ready` },
      );
    }

    const dataSource = a.app.get(DataSource);
    const rows = await dataSource.query<
      {
        id: string;
        claimedBy: string;
        attempts: number;
        status: string;
      }[]
    >(`SELECT "id", "claimedBy", "attempts", "status" FROM "evidence_packs" WHERE "id" = ANY($1)`, [ids]);
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row.status).toBe('ready');
      expect(row.attempts).toBe(1);
      expect([a.workerId, b.workerId]).toContain(row.claimedBy);
    }

    const entries = await dataSource.query<{ entityId: string; action: string; payload: string }[]>(
      `SELECT "entityId", "action", "payload" FROM "audit_log" WHERE "entityType" = 'evidence_pack' AND "entityId" = ANY($1) ORDER BY "seq"`,
      [ids],
    );
    for (const id of ids) {
      const mine = entries.filter((e) => e.entityId === id);
      expect(mine.filter((e) => e.action === 'pack.render.start')).toHaveLength(1);
      expect(mine.filter((e) => e.action === 'pack.render.ready')).toHaveLength(1);
      expect(mine.filter((e) => e.action === 'pack.requeue')).toHaveLength(0);
      const start = JSON.parse(mine.find((e) => e.action === 'pack.render.start')!.payload) as { worker: string };
      expect(start.worker).toBe(rows.find((r) => r.id === id)!.claimedBy);
    }

    const renderedBy = rows.map((r) => `${r.id.slice(0, 8)}=${r.claimedBy === a.workerId ? a.name : b.name}`);
    process.stdout.write(`multi-instance: packs rendered by ${renderedBy.join(', ')}\n`);
  });

  /** Polls until `probe` holds: the other instance checks the catalog version row every second. */
  async function within(ms: number, what: string, probe: () => Promise<boolean>): Promise<void> {
    await waitFor(probe, { timeoutMs: ms, intervalMs: 100, what });
  }

  it('shows a policy load on one instance on the other within the version check (the catalog version row)', async () => {
    const token = await login(a);
    const systemId = (
      await a
        .http()
        .post('/api/v1/systems')
        .set(auth(token))
        .send(minimalSystem({ name: 'Catalog cache subject' }))
        .expect(201)
    ).body.id;
    const titleOnB = async (code: string) =>
      (
        (await b.http().get(`/api/v1/systems/${systemId}/controls`).set(auth(token)).expect(200)).body as {
          controlCode: string;
          title: string;
        }[]
      ).find((c) => c.controlCode === code)?.title;
    const loader = a.app.get(PolicyLoader);
    const original = loader.policies;
    // B builds its in-memory catalog here, before the change.
    const [first] = (await b.http().get(`/api/v1/systems/${systemId}/controls`).set(auth(token)).expect(200)).body as {
      controlCode: string;
      title: string;
    }[];
    const code = first.controlCode;
    expect(first.title).toBe(original.controls.find((c) => c.code === code)?.title);
    try {
      const renamed = original.controls.map((c) => (c.code === code ? { ...c, title: `${c.title} (revised)` } : c));
      expect((await loader.load({ ...original, controls: renamed, contentHash: 'revised-title' })).changed).toBe(true);
      await within(5000, 'the revised title on B', async () => (await titleOnB(code)) === `${first.title} (revised)`);
    } finally {
      await loader.load(original);
    }
    await within(5000, 'the original title on B', async () => (await titleOnB(code)) === first.title);
  });

  it('lets the other instance use a catalog imported through one within the version check', async () => {
    const token = await login(a);
    const systemId = (
      await a
        .http()
        .post('/api/v1/systems')
        .set(auth(token))
        .send(minimalSystem({ name: 'Imported catalog subject' }))
        .expect(201)
    ).body.id;
    await b.http().get(`/api/v1/systems/${systemId}/controls`).set(auth(token)).expect(200);
    const nist = (await a.http().get('/api/v1/frameworks/nist-ai-rmf-1.0/oscal').set(auth(token)).expect(200)).body;
    await a.http().post('/api/v1/frameworks/import/oscal?key=shared-import').set(auth(token)).send(nist).expect(201);
    // B checks the framework against its in-memory catalog: 400 (unknown framework) until it has seen the import.
    await within(5000, 'the imported framework on B', async () => {
      const res = await b
        .http()
        .post('/api/v1/packs')
        .set(auth(token))
        .send({ systemId, frameworks: ['shared-import'] });
      if (res.status !== 202 && res.status !== 400)
        throw new Error(`POST /packs answered ${res.status}: ${JSON.stringify(res.body)}`);
      return res.status === 202;
    });
  });

  it('keeps one valid audit chain written by both instances', async () => {
    const token = await login(b);
    for (const instance of [a, b]) {
      const res = await instance.http().get('/api/v1/audit-log/verify').set(auth(token)).expect(200);
      expect(res.body.valid).toBe(true);
    }
  });
});

maybe('several instances started together on an empty PostgreSQL database (e2e)', () => {
  let dataDir: string;
  let database: TestDatabase;
  const instances: Instance[] = [];

  beforeAll(async () => {
    dataDir = makeTempDir('wb-multi-boot-');
    database = await createTestDatabase(dataDir);
  });
  afterAll(async () => {
    for (const instance of instances) await instance.app.close();
    await database?.drop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('migrates, loads policies and creates the first admin once, whichever instance gets there first', async () => {
    const env = { WORKBENCH_DATA_DIR: dataDir, ...database.env };
    const booted = await Promise.allSettled([bootInstance('A', env), bootInstance('B', env), bootInstance('C', env)]);
    for (const result of booted) if (result.status === 'fulfilled') instances.push(result.value);
    expect(booted.map((r) => (r.status === 'rejected' ? String((r.reason as Error).message) : 'up'))).toEqual([
      'up',
      'up',
      'up',
    ]);

    const dataSource = instances[0].app.get(DataSource);
    const files = fs
      .readdirSync(path.dirname(migrationsGlob('postgres')))
      .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'));
    const applied = await dataSource.query<{ name: string }[]>(`SELECT "name" FROM "migrations"`);
    expect(applied).toHaveLength(files.length);
    const loads = await dataSource.query<{ n: number }[]>(
      `SELECT COUNT(*)::int AS "n" FROM "audit_log" WHERE "action" = 'policies.load'`,
    );
    expect(loads[0].n).toBe(1);
    const admins = await dataSource.query<{ n: number }[]>(
      `SELECT COUNT(*)::int AS "n" FROM "users" WHERE "email" = $1`,
      [ADMIN_EMAIL],
    );
    expect(admins[0].n).toBe(1);
    for (const instance of instances) {
      const token = await instance
        .http()
        .post('/api/v1/auth/login')
        .send({ email: ADMIN_EMAIL, password: TEST_PASSWORD })
        .expect(200);
      const chain = await instance
        .http()
        .get('/api/v1/audit-log/verify')
        .set({ Authorization: `Bearer ${token.body.token}` })
        .expect(200);
      expect(chain.body.valid).toBe(true);
    }
  });
});
