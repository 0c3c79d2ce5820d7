import { loadConfig } from '../../src/config/app.config';
import { PDF_RENDERER, PdfRenderer } from '../../src/pdf/chromium-pdf-renderer';
import { UserEntity } from '../../src/users/entities/user.entity';
import { minimalSystem } from '../factories/systems';
import { bearer, startTestApp, TEST_PASSWORD, TestApp } from '../factories/test-app';

const WEAK_PASSWORDS = ['password1234', 'aaaaaaaaaaaa', '123456789012'];

/** Statuses of the answers, counted: { 401: 5, 429: 95 }. */
function tally(statuses: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

describe('login throttle under concurrency (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { WORKBENCH_LOGIN_MAX_FAILURES: '5' } });
  });
  afterAll(async () => t?.close());

  // The app trusts X-Forwarded-For from loopback only (a local proxy), which is where supertest connects from.
  const attempt = (email: string, address: string, password: string) =>
    t
      .http()
      .post('/api/v1/auth/login')
      .set('X-Forwarded-For', address)
      .send({ email, password })
      .then((r) => r.status);

  it('checks at most the configured number of passwords per e-mail, however many arrive at once', async () => {
    const email = t.users.engineer.email;
    const statuses = await Promise.all(
      Array.from({ length: 100 }, (_, i) => attempt(email, `203.0.113.${i + 1}`, `wrong password number ${i}`)),
    );
    expect(tally(statuses)).toEqual({ 401: 5, 429: 95 });
    // The right password is refused too until the window passes: the limit is on checks, not on failures seen so far.
    expect(await attempt(email, '203.0.113.200', TEST_PASSWORD)).toBe(429);
  });

  it('checks at most the configured number of passwords per client address, however many e-mails it tries', async () => {
    const statuses = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        attempt(`nobody-${i}@example.test`, '198.51.100.7', 'wrong password entirely'),
      ),
    );
    expect(tally(statuses)).toEqual({ 401: 5, 429: 95 });
  });

  it('does not count a successful sign-in against the address', async () => {
    const user = t.users.auditor;
    for (let i = 0; i < 10; i++) expect(await attempt(user.email, '198.51.100.50', TEST_PASSWORD)).toBe(200);
    for (let i = 0; i < 5; i++) expect(await attempt(user.email, '198.51.100.50', 'not the password at all')).toBe(401);
    expect(await attempt(user.email, '198.51.100.50', TEST_PASSWORD)).toBe(429);
  });
});

describe('sign-in forms from other sites (login CSRF, e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  const HOST = 'workbench.example.org';
  const form = () => ({ email: t.users.engineer.email, password: TEST_PASSWORD, next: '/' });
  const webLogin = (headers: Record<string, string>) =>
    t.http().post('/login').set('Host', HOST).set(headers).type('form').send(form());
  // A form can post urlencoded to the API too, which reads that body type.
  const apiLogin = (headers: Record<string, string>) =>
    t
      .http()
      .post('/api/v1/auth/login')
      .set('Host', HOST)
      .set(headers)
      .type('form')
      .send({ email: t.users.engineer.email, password: TEST_PASSWORD });
  const setsSession = (res: { headers: Record<string, unknown> }) =>
    ([] as string[])
      .concat((res.headers['set-cookie'] as string[] | undefined) ?? [])
      .some((c) => c.startsWith('wb_session='));

  it.each([
    ['an Origin of another site', { Origin: 'https://evil.example' }],
    ['an opaque Origin (a sandboxed or no-referrer page)', { Origin: 'null' }],
    ['a Referer of another site and no Origin', { Referer: 'https://evil.example/login-csrf.html' }],
    ['an Origin on another port of the same host', { Origin: `http://${HOST}:8443` }],
  ])('refuses a sign-in form posted with %s, and signs nobody in', async (_what, headers) => {
    const web = await webLogin(headers);
    expect(web.status).toBe(403);
    expect(web.text).toContain('did not come from this site');
    expect(setsSession(web)).toBe(false);
    const api = await apiLogin(headers);
    expect(api.status).toBe(403);
    expect(setsSession(api)).toBe(false);
  });

  it('signs in from its own form, and from clients that send neither header', async () => {
    const sameSite: Record<string, string>[] = [
      { Origin: `http://${HOST}` },
      { Referer: `http://${HOST}/login?next=%2F` },
      {},
    ];
    for (const headers of sameSite) {
      const web = await webLogin(headers);
      expect(web.status).toBe(303);
      expect(setsSession(web)).toBe(true);
    }
    const api = await t
      .http()
      .post('/api/v1/auth/login')
      .set('Host', HOST)
      .set('Origin', `http://${HOST}`)
      .send({ email: t.users.engineer.email, password: TEST_PASSWORD });
    expect(api.status).toBe(200);
    // Our pages must not make browsers send "Origin: null" on their own posts (no-referrer would), nor leak to others.
    expect((await t.http().get('/login').expect(200)).headers['referrer-policy']).toBe('same-origin');
  });
});

describe('no caching of authenticated responses (e2e)', () => {
  let t: TestApp;
  const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
  const renderer = {
    render: () => Promise.resolve({ pdf: PDF, ms: 1, pages: 1 }),
    status: () => ({ status: 'up', state: 'running', executable: null }),
  } as unknown as PdfRenderer;
  beforeAll(async () => {
    t = await startTestApp({ override: (builder) => builder.overrideProvider(PDF_RENDERER).useValue(renderer) });
  });
  afterAll(async () => t?.close());

  it('sends Cache-Control: no-store on pages, API answers, PDFs and bundles', async () => {
    const specialist = bearer(t.users.governance_specialist);
    const login = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: t.users.governance_specialist.email, password: TEST_PASSWORD })
      .expect(200);
    const page = await t.http().get('/').set('Cookie', `wb_session=${login.body.token}`).expect(200);
    expect(page.headers['cache-control']).toBe('no-store');
    const me = await t.http().get('/api/v1/auth/me').set(specialist).expect(200);
    expect(me.headers['cache-control']).toBe('no-store');

    const system = (await t.http().post('/api/v1/systems').set(specialist).send(minimalSystem()).expect(201)).body.id;
    const pack = (
      await t
        .http()
        .post('/api/v1/packs')
        .set(specialist)
        .send({ systemId: system, frameworks: ['nist-ai-rmf-1.0'] })
        .expect(202)
    ).body.id;
    for (;;) {
      const { body } = await t.http().get(`/api/v1/packs/${pack}`).set(specialist).expect(200);
      if (body.status === 'ready') break;
      expect(body.status).not.toBe('failed');
      await new Promise((resolve) => setImmediate(resolve));
    }
    for (const download of ['pdf', 'bundle']) {
      const res = await t
        .http()
        .get(`/api/v1/packs/${pack}/${download}`)
        .set(specialist)
        .buffer(true)
        .parse((r, done) => {
          r.on('data', () => undefined);
          r.on('end', () => done(null, null));
        });
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toMatch(/\bno-store\b/);
    }
  });

  it('lets the public assets be cached', async () => {
    const css = await t.http().get('/assets/app.css');
    expect(css.headers['cache-control']).toBe('public, max-age=300');
  });
});

describe('guessable passwords (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it.each(WEAK_PASSWORDS)(
    'refuses %s for a new user with a 400 that says why, and stores nothing',
    async (password) => {
      const email = `weak-${password.slice(0, 4)}@example.test`;
      const res = await t
        .http()
        .post('/api/v1/users')
        .set(bearer(t.users.admin))
        .send({ email, displayName: 'Weak', role: 'engineer', password })
        .expect(400);
      expect(res.body.message).toMatch(/too easy to guess/);
      expect(await t.dataSource.getRepository(UserEntity).countBy({ email })).toBe(0);
    },
  );

  it("refuses a password made of the user's own e-mail or name, which would pass for anyone else", async () => {
    const person = { displayName: 'Zephyrine Quillfeather', role: 'engineer', password: 'zephyrinequillfeather' };
    const res = await t
      .http()
      .post('/api/v1/users')
      .set(bearer(t.users.admin))
      .send({ ...person, email: 'zephyrine.quillfeather@example.test' })
      .expect(400);
    expect(res.body.message).toMatch(/too easy to guess: .*personal/);
    await t
      .http()
      .post('/api/v1/users')
      .set(bearer(t.users.admin))
      .send({ ...person, displayName: 'Someone Else', email: 'someone.else@example.test' })
      .expect(201);
  });

  it.each(WEAK_PASSWORDS)(
    'refuses %s as an admin-set or a self-chosen new password, and keeps the old one',
    async (password) => {
      const user = t.users.engineer;
      const before = (await t.dataSource.getRepository(UserEntity).findOneByOrFail({ id: user.id })).passwordHash;
      await t.http().patch(`/api/v1/users/${user.id}`).set(bearer(t.users.admin)).send({ password }).expect(400);
      await t
        .http()
        .post('/api/v1/auth/password')
        .set(bearer(user))
        .send({ currentPassword: TEST_PASSWORD, newPassword: password })
        .expect(400);
      expect((await t.dataSource.getRepository(UserEntity).findOneByOrFail({ id: user.id })).passwordHash).toBe(before);
      await t.http().get('/api/v1/auth/me').set(bearer(user)).expect(200);
    },
  );

  it('still takes a long passphrase and a long multibyte password', async () => {
    for (const [i, password] of ['a long enough passphrase for carol', '密码🔐✓'.repeat(16)].entries()) {
      await t
        .http()
        .post('/api/v1/users')
        .set(bearer(t.users.admin))
        .send({ email: `fine-${i}@example.test`, displayName: 'Fine', role: 'engineer', password })
        .expect(201);
    }
  });

  it.each(WEAK_PASSWORDS)('refuses to start with WORKBENCH_ADMIN_PASSWORD=%s', (password) => {
    expect(() => loadConfig({ WORKBENCH_ADMIN_EMAIL: 'boss@example.org', WORKBENCH_ADMIN_PASSWORD: password })).toThrow(
      /WORKBENCH_ADMIN_PASSWORD is too easy to guess/,
    );
  });
});
