import { sha256Hex } from '../../src/common/canonical-json';
import { CLOCK, Clock } from '../../src/common/time';
import { SessionEntity } from '../../src/auth/entities/session.entity';
import { UserEntity } from '../../src/users/entities/user.entity';
import { UsersService } from '../../src/users/users.service';
import { bootApp, BootedApp } from '../factories/boot-app';
import { bearer, startTestApp, TEST_PASSWORD, TestApp } from '../factories/test-app';

const HOUR = 3600 * 1000;

/** The Set-Cookie header for the session cookie, split into its attributes. */
function sessionCookie(res: { headers: Record<string, unknown> }): {
  value: string;
  attributes: Record<string, string | true>;
} {
  const header = ([] as string[])
    .concat((res.headers['set-cookie'] as string[] | undefined) ?? [])
    .find((c) => c.startsWith('wb_session='));
  if (!header) throw new Error('no wb_session cookie was set');
  const [pair, ...rest] = header.split(';').map((part) => part.trim());
  const attributes = Object.fromEntries(
    rest.map((a) => {
      const [k, v] = a.split('=');
      return [k.toLowerCase(), v ?? true];
    }),
  );
  return { value: decodeURIComponent(pair.slice('wb_session='.length)), attributes };
}

describe('authentication and sessions (e2e)', () => {
  let t: TestApp;
  // A clock the tests can move forward; the app reads time only through CLOCK.
  let offsetMs = 0;
  const clock: Clock = { now: () => new Date(Date.now() + offsetMs) };

  beforeAll(async () => {
    t = await startTestApp({ override: (builder) => builder.overrideProvider(CLOCK).useValue(clock) });
  });
  afterAll(async () => t?.close());
  afterEach(() => {
    offsetMs = 0;
  });

  const login = (email: string, password = TEST_PASSWORD) =>
    t.http().post('/api/v1/auth/login').send({ email, password });

  async function newUser(
    role: 'engineer' | 'auditor' | 'governance_specialist' = 'engineer',
    password = TEST_PASSWORD,
  ) {
    const email = `u-${Math.random().toString(36).slice(2, 10)}@example.test`;
    const res = await t
      .http()
      .post('/api/v1/users')
      .set(bearer(t.users.admin))
      .send({ email, displayName: 'Someone', role, password })
      .expect(201);
    return { id: res.body.id as string, email };
  }

  it('signs in with a token, a CSRF token and an httpOnly SameSite=Strict session cookie', async () => {
    const res = await login('ADMIN@example.test').expect(200);
    expect(res.body).toEqual({
      token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/),
      expiresAt: expect.any(String),
      user: expect.objectContaining({ email: 'admin@example.test', role: 'admin', mustChangePassword: false }),
    });
    expect(res.body.user.passwordHash).toBeUndefined();
    expect(Date.parse(res.body.expiresAt) - Date.now()).toBeGreaterThan(11.9 * HOUR);
    const cookie = sessionCookie(res);
    expect(cookie.value).toBe(res.body.token);
    expect(cookie.attributes).toMatchObject({ httponly: true, samesite: 'Strict', path: '/' });
    expect(Date.parse(cookie.attributes.expires as string)).toBeGreaterThan(Date.now());
  });

  it('accepts the token as a Bearer header, whatever the case of the scheme', async () => {
    const { body } = await login(t.users.engineer.email).expect(200);
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const me = await t.http().get('/api/v1/auth/me').set('Authorization', `${scheme} ${body.token}`).expect(200);
      expect(me.body).toMatchObject({ email: t.users.engineer.email, role: 'engineer' });
    }
    await t.http().get('/api/v1/auth/me').set('Authorization', 'Bearer not-a-session').expect(401);
  });

  it('refuses a wrong password or an unknown e-mail alike with 401 in the error shape', async () => {
    const wrong = await login(t.users.engineer.email, 'not the password at all').expect(401);
    expect(wrong.body).toEqual({
      statusCode: 401,
      code: 'unauthenticated',
      error: 'Unauthorized',
      message: 'E-mail or password is not correct',
      requestId: expect.any(String),
    });
    expect(wrong.headers['set-cookie']).toBeUndefined();
    const unknown = await login('nobody@example.test').expect(401);
    expect(unknown.body.message).toBe(wrong.body.message);
  });

  it('ends the session on logout: the token no longer works and the cookie is cleared', async () => {
    const { body } = await login(t.users.auditor.email).expect(200);
    const auth = { Authorization: `Bearer ${body.token}` };
    await t.http().get('/api/v1/auth/me').set(auth).expect(200);
    const out = await t.http().post('/api/v1/auth/logout').set(auth).expect(204);
    expect(Date.parse(sessionCookie(out).attributes.expires as string)).toBeLessThan(Date.now());
    const after = await t.http().get('/api/v1/auth/me').set(auth).expect(401);
    expect(after.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    // Other sessions of the same user are untouched.
    await t.http().get('/api/v1/auth/me').set(bearer(t.users.auditor)).expect(200);
  });

  it('ends every session of a user an admin disables, and refuses their sign-in until re-enabled', async () => {
    const user = await newUser();
    const first = (await login(user.email).expect(200)).body.token;
    const second = (await login(user.email).expect(200)).body.token;
    const disabled = await t
      .http()
      .patch(`/api/v1/users/${user.id}`)
      .set(bearer(t.users.admin))
      .send({ disabled: true })
      .expect(200);
    expect(disabled.body).toMatchObject({ id: user.id, disabled: true });
    for (const token of [first, second])
      await t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`).expect(401);
    const revoked = await t.dataSource.getRepository(SessionEntity).findBy({ userId: user.id });
    expect(revoked.map((s) => s.revokedAt)).toEqual([expect.any(String), expect.any(String)]);
    await login(user.email).expect(401);
    await t.http().patch(`/api/v1/users/${user.id}`).set(bearer(t.users.admin)).send({ disabled: false }).expect(200);
    await login(user.email).expect(200);
    // The old tokens stay dead after re-enabling.
    await t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${first}`).expect(401);
  });

  it('refuses an expired session', async () => {
    const { body } = await login(t.users.engineer.email).expect(200);
    const auth = { Authorization: `Bearer ${body.token}` };
    offsetMs = 12 * HOUR - 60_000;
    await t.http().get('/api/v1/auth/me').set(auth).expect(200);
    offsetMs = 12 * HOUR;
    await t.http().get('/api/v1/auth/me').set(auth).expect(401);
    // The same through the stored row, as another instance would see it.
    offsetMs = 0;
    const fresh = (await login(t.users.engineer.email).expect(200)).body.token;
    await t.dataSource
      .getRepository(SessionEntity)
      .update({ tokenHash: sha256Hex(fresh) }, { expiresAt: new Date(Date.now() - 1000).toISOString() });
    await t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${fresh}`).expect(401);
  });

  it('requires the CSRF token on cookie-authenticated writes, and not on bearer ones', async () => {
    const res = await login('admin@example.test').expect(200);
    const cookie = `wb_session=${res.body.token}`;
    const body = () => ({
      email: `csrf-${Math.random().toString(36).slice(2, 8)}@example.test`,
      displayName: 'Csrf',
      role: 'engineer',
      password: TEST_PASSWORD,
    });
    await t.http().get('/api/v1/users').set('Cookie', cookie).expect(200);
    const missing = await t.http().post('/api/v1/users').set('Cookie', cookie).send(body()).expect(403);
    expect(missing.body).toMatchObject({
      statusCode: 403,
      error: 'Forbidden',
      message: expect.stringContaining('CSRF'),
    });
    await t
      .http()
      .post('/api/v1/users')
      .set('Cookie', cookie)
      .set('x-csrf-token', 'x'.repeat(32))
      .send(body())
      .expect(403);
    const other = (await login(t.users.governance_specialist.email).expect(200)).body.csrfToken;
    await t.http().post('/api/v1/users').set('Cookie', cookie).set('x-csrf-token', other).send(body()).expect(403);
    await t
      .http()
      .post('/api/v1/users')
      .set('Cookie', cookie)
      .set('x-csrf-token', res.body.csrfToken)
      .send(body())
      .expect(201);
    await t.http().post('/api/v1/users').set(bearer(t.users.admin)).send(body()).expect(201);
    await t.http().post('/api/v1/auth/logout').set('Cookie', cookie).expect(403);
    await t
      .http()
      .post('/api/v1/auth/logout')
      .set('Cookie', cookie)
      .set('x-csrf-token', res.body.csrfToken)
      .expect(204);
  });

  it('takes a 64-character multibyte password set by an admin, on creation and on change', async () => {
    const password = '密码🔐✓'.repeat(16);
    expect([...password]).toHaveLength(64);
    const user = await newUser('engineer', password);
    await login(user.email, password).expect(200);
    await login(user.email, password.slice(0, -1)).expect(401);
    const changed = '✓🔐码密'.repeat(16);
    await t.http().patch(`/api/v1/users/${user.id}`).set(bearer(t.users.admin)).send({ password: changed }).expect(200);
    await login(user.email, password).expect(401);
    await login(user.email, changed).expect(200);
    // Compared in Unicode NFC: a decomposed é signs in to a password set with the composed one.
    const composed = 'caf\u00e9 au lait, s\u2019il vous pla\u00eet';
    const other = await newUser('engineer', composed);
    await login(other.email, composed.normalize('NFD')).expect(200);
  });

  it('stores only the SHA-256 of a session token', async () => {
    const { body } = await login(t.users.engineer.email).expect(200);
    const rows = await t.dataSource.query('SELECT * FROM sessions');
    expect(JSON.stringify(rows)).not.toContain(body.token);
    const row = rows.find((r: { tokenHash: string }) => r.tokenHash === sha256Hex(body.token));
    expect(row).toMatchObject({ userId: t.users.engineer.id, csrfToken: body.csrfToken });
  });

  it('ends the other sessions when a user changes their own password, keeping the one that changed it', async () => {
    const user = await newUser();
    const [a, b] = [(await login(user.email).expect(200)).body.token, (await login(user.email).expect(200)).body.token];
    const newPassword = 'a different long password';
    await t
      .http()
      .post('/api/v1/auth/password')
      .set('Authorization', `Bearer ${a}`)
      .send({ currentPassword: 'wrong one entirely', newPassword })
      .expect(400);
    await t
      .http()
      .post('/api/v1/auth/password')
      .set('Authorization', `Bearer ${a}`)
      .send({ currentPassword: TEST_PASSWORD, newPassword })
      .expect(204);
    await t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${a}`).expect(200);
    await t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${b}`).expect(401);
    await login(user.email).expect(401);
    await login(user.email, newPassword).expect(200);
  });

  it('answers 409, not 500, when two requests create the same e-mail at once', async () => {
    const email = `twice-${Math.random().toString(36).slice(2, 8)}@example.test`;
    const create = () =>
      t
        .http()
        .post('/api/v1/users')
        .set(bearer(t.users.admin))
        .send({ email, displayName: 'Twice', role: 'auditor', password: TEST_PASSWORD });
    const statuses = (await Promise.all([create(), create(), create()])).map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409]);
    expect(await t.dataSource.getRepository(UserEntity).countBy({ email })).toBe(1);
  });

  it('refuses an empty change to a user', async () => {
    const user = await newUser();
    const res = await t.http().patch(`/api/v1/users/${user.id}`).set(bearer(t.users.admin)).send({}).expect(400);
    expect(res.body.message).toContain('Nothing to change');
  });

  it('does not let an admin disable themselves or drop their own admin role', async () => {
    const self = `/api/v1/users/${t.users.admin.id}`;
    await t.http().patch(self).set(bearer(t.users.admin)).send({ disabled: true }).expect(409);
    await t.http().patch(self).set(bearer(t.users.admin)).send({ role: 'auditor' }).expect(409);
  });
});

describe('login throttling (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { WORKBENCH_LOGIN_MAX_FAILURES: '3' } });
  });
  afterAll(async () => t?.close());

  it('answers 429 with Retry-After after repeated failures, even to the right password', async () => {
    const email = t.users.engineer.email;
    for (let i = 0; i < 3; i++)
      await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email, password: `wrong password ${i}` })
        .expect(401);
    const throttled = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email, password: 'wrong password again' })
      .expect(429);
    expect(throttled.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    const retryAfter = Number(throttled.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    await t.http().post('/api/v1/auth/login').send({ email, password: TEST_PASSWORD }).expect(429);
    // The client address is throttled too, so moving on to another account does not help.
    await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: t.users.auditor.email, password: TEST_PASSWORD })
      .expect(429);
    // Sessions that already exist keep working.
    await t.http().get('/api/v1/auth/me').set(bearer(t.users.engineer)).expect(200);
  });
});

describe('first admin (e2e)', () => {
  const started: BootedApp[] = [];
  afterAll(async () => {
    for (const app of started) await app.close();
  });

  /** Boots with no WORKBENCH_ADMIN_* and returns what start-up printed. */
  async function bootWithoutAdminEnv(): Promise<{ booted: BootedApp; printed: string }> {
    let printed = '';
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed += chunk.toString();
      return true;
    });
    try {
      const booted = await bootApp({ env: { WORKBENCH_ADMIN_EMAIL: '', WORKBENCH_ADMIN_PASSWORD: '' } });
      started.push(booted);
      return { booted, printed };
    } finally {
      write.mockRestore();
    }
  }

  it('creates the admin named by WORKBENCH_ADMIN_EMAIL/WORKBENCH_ADMIN_PASSWORD, once', async () => {
    const booted = await bootApp({
      env: { WORKBENCH_ADMIN_EMAIL: 'Boss@Example.org', WORKBENCH_ADMIN_PASSWORD: 'an admin password from env' },
    });
    started.push(booted);
    const users = await booted.dataSource.getRepository(UserEntity).find();
    expect(
      users.map((u) => ({
        email: u.email,
        role: u.role,
        mustChangePassword: u.mustChangePassword,
        disabled: u.disabled,
      })),
    ).toEqual([{ email: 'boss@example.org', role: 'admin', mustChangePassword: false, disabled: false }]);
    const res = await booted
      .http()
      .post('/api/v1/auth/login')
      .send({ email: 'boss@example.org', password: 'an admin password from env' })
      .expect(200);
    await booted.http().get('/api/v1/users').set('Authorization', `Bearer ${res.body.token}`).expect(200);
    await booted.app.get(UsersService).bootstrapFirstAdmin();
    expect(await booted.dataSource.getRepository(UserEntity).count()).toBe(1);
  });

  it('has no default password: without admin env it prints a random one-time password that must be changed first', async () => {
    const { booted, printed } = await bootWithoutAdminEnv();
    const users = await booted.dataSource.getRepository(UserEntity).find();
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({
      email: 'admin@workbench.local',
      role: 'admin',
      mustChangePassword: true,
      disabled: false,
    });
    const password = /one-time password (\S+)/.exec(printed)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(users[0].passwordHash).toMatch(/^scrypt\$/);
    expect(users[0].passwordHash).not.toContain(password);

    const { body } = await booted
      .http()
      .post('/api/v1/auth/login')
      .send({ email: 'admin@workbench.local', password })
      .expect(200);
    expect(body.user.mustChangePassword).toBe(true);
    const auth = { Authorization: `Bearer ${body.token}` };
    // Until the one-time password is replaced, only the account's own routes work.
    await booted.http().get('/api/v1/auth/me').set(auth).expect(200);
    const refused = await booted.http().get('/api/v1/users').set(auth).expect(403);
    expect(refused.body.message).toContain('one-time password');
    await booted
      .http()
      .post('/api/v1/auth/password')
      .set(auth)
      .send({ currentPassword: password, newPassword: 'my own admin password' })
      .expect(204);
    await booted.http().get('/api/v1/users').set(auth).expect(200);
    expect((await booted.http().get('/api/v1/auth/me').set(auth).expect(200)).body.mustChangePassword).toBe(false);
    await booted.http().post('/api/v1/auth/login').send({ email: 'admin@workbench.local', password }).expect(401);

    // A second start finds a user and creates nothing, printing nothing.
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    await booted.app.get(UsersService).bootstrapFirstAdmin();
    expect(write).not.toHaveBeenCalled();
    write.mockRestore();
    expect(await booted.dataSource.getRepository(UserEntity).count()).toBe(1);

    // Another installation gets another password.
    const other = await bootWithoutAdminEnv();
    expect(/one-time password (\S+)/.exec(other.printed)?.[1]).not.toBe(password);
  });
});
