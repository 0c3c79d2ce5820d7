import { PDF_RENDERER, PdfRenderer } from '../../src/pdf/chromium-pdf-renderer';
import { minimalSystem } from '../factories/systems';
import { bearer, startTestApp, TEST_PASSWORD, TestApp, TestUser } from '../factories/test-app';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const HOUR = 3600_000;

interface Entry {
  seq: number;
  action: string;
  entityType: string;
  entityId: string;
  payload: string;
}

/** A renderer that fails at once: the pack's log entries are what this file needs, not a PDF. */
const failingRenderer = {
  render: () => Promise.reject(new Error('no renderer in this test')),
  status: () => ({ status: 'down', state: 'missing', executable: null }),
} as unknown as PdfRenderer;

/**
 * Two auditors on two audits: each reads the audit-log entries of their own audit, its packs, and the systems,
 * controls and evidence it covers within its period, and nothing else: no other audit, no system outside it, no user
 * administration, no sessions. Admins and specialists (audit-log:read-all) read everything; verify stays global.
 */
describe("audit log scoped to an auditor's audits (e2e)", () => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  const ids = {} as Record<
    | 's1'
    | 's2'
    | 's3'
    | 'ev1'
    | 'ev2'
    | 'ev3'
    | 'ci1'
    | 'ci2'
    | 'ci3'
    | 'auditA'
    | 'auditB'
    | 'auditPast'
    | 'packA'
    | 'packB'
    | 'packS3',
    string
  >;
  const specialist = () => bearer(t.users.governance_specialist);

  async function system(name: string): Promise<{ id: string; evidenceId: string; implementationId: string }> {
    const id = (await t.http().post('/api/v1/systems').set(specialist()).send(minimalSystem({ name })).expect(201)).body
      .id;
    const control = (await t.http().get(`/api/v1/systems/${id}/controls`).set(specialist()).expect(200)).body[0];
    await t
      .http()
      .patch(`/api/v1/systems/${id}/controls/${control.controlCode}`)
      .set(specialist())
      .send({ status: 'in_progress' })
      .expect(200);
    const evidence = await t
      .http()
      .post(`/api/v1/systems/${id}/evidence`)
      .set(bearer(t.users.engineer))
      .field('controlCodes[]', control.controlCode)
      .field('title', `${name} evidence`)
      .field('kind', 'document')
      .field('collectedAt', new Date(Date.now() - 60_000).toISOString())
      .attach('file', PDF, { filename: 'report.pdf', contentType: 'application/pdf' })
      .expect(201);
    await t
      .http()
      .post(`/api/v1/evidence/${evidence.body.id}/review`)
      .set(specialist())
      .send({ decision: 'accepted' })
      .expect(200);
    return { id, evidenceId: evidence.body.id, implementationId: control.id };
  }

  async function audit(
    name: string,
    systemId: string,
    auditor: TestUser,
    periodStart: string,
    periodEnd: string,
  ): Promise<string> {
    const body = {
      name,
      systemIds: [systemId],
      frameworks: ['nist-ai-rmf-1.0'],
      periodStart,
      periodEnd,
      auditorIds: [auditor.id],
    };
    return (await t.http().post('/api/v1/audits').set(specialist()).send(body).expect(201)).body.id;
  }

  async function pack(scope: { auditId: string } | { systemId: string }): Promise<string> {
    const id = (
      await t
        .http()
        .post('/api/v1/packs')
        .set(specialist())
        .send({ ...scope, frameworks: ['nist-ai-rmf-1.0'] })
        .expect(202)
    ).body.id;
    for (;;) {
      const { body } = await t.http().get(`/api/v1/packs/${id}`).set(specialist()).expect(200);
      if (body.status === 'failed' || body.status === 'ready') return id;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  async function log(user: TestUser, query = ''): Promise<Entry[]> {
    return (await t.http().get(`/api/v1/audit-log?limit=500${query}`).set(bearer(user)).expect(200)).body;
  }

  beforeAll(async () => {
    t = await startTestApp({ override: (builder) => builder.overrideProvider(PDF_RENDERER).useValue(failingRenderer) });
    alice = await t.user('auditor', 'alice');
    bob = await t.user('auditor', 'bob');
    const [s1, s2, s3] = [
      await system('Audited by Alice'),
      await system('Audited by Bob'),
      await system('Audited last year'),
    ];
    Object.assign(ids, {
      s1: s1.id,
      s2: s2.id,
      s3: s3.id,
      ev1: s1.evidenceId,
      ev2: s2.evidenceId,
      ev3: s3.evidenceId,
      ci1: s1.implementationId,
      ci2: s2.implementationId,
      ci3: s3.implementationId,
    });
    const now = Date.now();
    const [from, to] = [new Date(now - HOUR).toISOString(), new Date(now + HOUR).toISOString()];
    ids.auditA = await audit('Alice audit', s1.id, alice, from, to);
    ids.auditB = await audit('Bob audit', s2.id, bob, from, to);
    // Alice also audits s3, but over last year: what happened to s3 today is outside that period.
    ids.auditPast = await audit(
      'Alice past audit',
      s3.id,
      alice,
      '2025-01-01T00:00:00.000Z',
      '2025-12-31T23:59:59.000Z',
    );
    ids.packA = await pack({ auditId: ids.auditA });
    ids.packB = await pack({ auditId: ids.auditB });
    ids.packS3 = await pack({ systemId: s3.id });
    // User administration and sessions, which no auditor may read.
    await t
      .http()
      .post('/api/v1/users')
      .set(bearer(t.users.admin))
      .send({
        email: 'carol@example.test',
        displayName: 'Carol',
        role: 'engineer',
        password: 'a long enough passphrase for carol',
      })
      .expect(201);
  });
  afterAll(async () => t?.close());

  const keyOf = (e: Entry) => `${e.entityType}:${e.entityId}`;

  it('shows Alice only her audit, its pack, and the system, control and evidence it covers in its period', async () => {
    const entries = await log(alice);
    const keys = new Set(entries.map(keyOf));
    expect(keys).toEqual(
      new Set([
        `ai_system:${ids.s1}`,
        `control_implementation:${ids.ci1}`,
        `evidence:${ids.ev1}`,
        `audit:${ids.auditA}`,
        `audit:${ids.auditPast}`,
        `evidence_pack:${ids.packA}`,
      ]),
    );
    expect(entries.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        'system.create',
        'control.transition',
        'evidence.upload',
        'evidence.accept',
        'audit.create',
        'pack.request',
      ]),
    );
    const text = JSON.stringify(entries);
    for (const hidden of ['Audited by Bob', 'Audited last year', 'Bob audit', 'carol@example.test', bob.email])
      expect(text).not.toContain(hidden);
    expect(entries.filter((e) => ['user', 'session', 'policies', 'task'].includes(e.entityType))).toEqual([]);
  });

  it("shows Bob only his own audit and system, never Alice's", async () => {
    const keys = new Set((await log(bob)).map(keyOf));
    expect(keys).toEqual(
      new Set([
        `ai_system:${ids.s2}`,
        `control_implementation:${ids.ci2}`,
        `evidence:${ids.ev2}`,
        `audit:${ids.auditB}`,
        `evidence_pack:${ids.packB}`,
      ]),
    );
  });

  it("answers an auditor's filter for an entity outside their audits with an empty page, like one that has no entries", async () => {
    expect(await log(bob, `&entityType=ai_system&entityId=${ids.s1}`)).toEqual([]);
    expect(await log(alice, `&entityType=user`)).toEqual([]);
    expect((await log(alice, `&entityType=ai_system&entityId=${ids.s1}`)).length).toBeGreaterThan(0);
  });

  it('lets admins and specialists read every entry, and keeps verify and checkpoints global for auditors', async () => {
    for (const reader of [t.users.admin, t.users.governance_specialist]) {
      const keys = new Set((await log(reader)).map(keyOf));
      for (const id of [ids.s1, ids.s2, ids.s3, ids.auditB, ids.packS3])
        expect([...keys].some((k) => k.endsWith(id))).toBe(true);
      expect([...keys].some((k) => k.startsWith('user:'))).toBe(true);
    }
    const all = await t.http().get('/api/v1/audit-log/verify').set(bearer(t.users.admin)).expect(200);
    const asAlice = await t.http().get('/api/v1/audit-log/verify').set(bearer(alice)).expect(200);
    expect(asAlice.body).toMatchObject({ valid: true, entries: all.body.entries, headSeq: all.body.headSeq });
    const checkpoint = await t.http().get('/api/v1/audit-log/checkpoint').set(bearer(alice)).expect(200);
    expect(checkpoint.body.seq).toBeGreaterThanOrEqual(all.body.headSeq);
  });

  it('scopes the /audit-log page the same way', async () => {
    const login = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: bob.email, password: TEST_PASSWORD })
      .expect(200);
    const page = await t.http().get('/audit-log').set('Cookie', `wb_session=${login.body.token}`).expect(200);
    expect(page.text).toContain('audit.create');
    expect(page.text).not.toContain('user.create');
    expect(page.text).not.toContain('auth.login');
    expect(page.text).not.toContain(ids.s1.slice(0, 8));
  });
});
