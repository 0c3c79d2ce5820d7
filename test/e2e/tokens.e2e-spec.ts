import { randomBytes, randomUUID } from 'node:crypto';
import { sha256Hex } from '../../src/common/canonical-json';
import { CLOCK, Clock } from '../../src/common/time';
import { ApiTokenEntity } from '../../src/tokens/entities/api-token.entity';
import { minimalSystem } from '../factories/systems';
import { bearer, startTestApp, TestApp, TestUser } from '../factories/test-app';

const DAY = 24 * 3600 * 1000;

interface CreatedToken {
  id: string;
  token: string;
  permissions: string[];
  systemIds: string[] | null;
  expiresAt: string;
  createdAt: string;
}

describe('API tokens (e2e)', () => {
  let t: TestApp;
  let offsetMs = 0;
  const clock: Clock = { now: () => new Date(Date.now() + offsetMs) };
  let systemA: string;
  let systemB: string;
  let controlA: string;

  beforeAll(async () => {
    t = await startTestApp({ override: (builder) => builder.overrideProvider(CLOCK).useValue(clock) });
    const specialist = bearer(t.users.governance_specialist);
    systemA = (
      await t
        .http()
        .post('/api/v1/systems')
        .set(specialist)
        .send(minimalSystem({ name: 'Token A' }))
        .expect(201)
    ).body.id;
    systemB = (
      await t
        .http()
        .post('/api/v1/systems')
        .set(specialist)
        .send(minimalSystem({ name: 'Token B' }))
        .expect(201)
    ).body.id;
    controlA = (await t.http().get(`/api/v1/systems/${systemA}/controls`).set(specialist).expect(200)).body[0]
      .controlCode;
  });
  afterAll(async () => t?.close());
  afterEach(() => {
    offsetMs = 0;
  });

  const tokenRows = () => t.dataSource.getRepository(ApiTokenEntity).find();
  const withToken = (token: string) => ({ Authorization: `Bearer ${token}` });

  async function createToken(user: TestUser, body: Record<string, unknown>): Promise<CreatedToken> {
    const res = await t.http().post('/api/v1/tokens').set(bearer(user)).send(body).expect(201);
    return res.body as CreatedToken;
  }

  function upload(token: string, systemId: string, controlCode: string) {
    return t
      .http()
      .post(`/api/v1/systems/${systemId}/evidence`)
      .set(withToken(token))
      .field('controlCodes[]', controlCode)
      .field('title', 'Pipeline evaluation')
      .field('kind', 'test_report')
      .field('collectedAt', new Date(Date.now() - 60_000).toISOString())
      .attach('file', Buffer.from(`run ${randomUUID()}\n`), { filename: 'eval.txt', contentType: 'text/plain' });
  }

  it('shows the token once, stores only its SHA-256 and audits the creation', async () => {
    const created = await createToken(t.users.governance_specialist, {
      name: 'CI evaluations',
      permissions: ['evidence:upload', 'systems:read'],
    });
    expect(created.token).toMatch(/^wbt_[A-Za-z0-9_-]{43}$/);
    expect(created.permissions).toEqual(['evidence:upload', 'systems:read']);
    // Default expiry: 90 days.
    expect(Date.parse(created.expiresAt) - Date.parse(created.createdAt)).toBe(90 * DAY);

    const row = await t.dataSource.getRepository(ApiTokenEntity).findOneByOrFail({ id: created.id });
    expect(row.tokenHash).toBe(sha256Hex(created.token));
    expect(JSON.stringify(row)).not.toContain(created.token.slice(4));

    const list = await t.http().get('/api/v1/tokens').set(bearer(t.users.governance_specialist)).expect(200);
    const listed = (list.body as Record<string, unknown>[]).find((x) => x.id === created.id);
    expect(listed).toMatchObject({ name: 'CI evaluations', status: 'active', lastUsedAt: null });
    expect(JSON.stringify(list.body)).not.toContain(created.token.slice(4));
    expect(JSON.stringify(list.body)).not.toContain(row.tokenHash);

    const log = await t
      .http()
      .get(`/api/v1/audit-log?entityType=api_token&entityId=${created.id}`)
      .set(bearer(t.users.admin))
      .expect(200);
    expect(log.body.items ?? log.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'token.create', actor: t.users.governance_specialist.email }),
      ]),
    );
    expect(JSON.stringify(log.body)).not.toContain(created.token.slice(4));
  });

  it('refuses permissions beyond the creator or outside what tokens may hold (403), nothing stored', async () => {
    const before = (await tokenRows()).length;
    const specialist = bearer(t.users.governance_specialist);
    for (const permissions of [['users:write'], ['health:details'], ['tokens:manage'], ['account:self']]) {
      const res = await t.http().post('/api/v1/tokens').set(specialist).send({ name: 'too much', permissions });
      expect({ permissions, status: res.status, code: res.body.code }).toEqual({
        permissions,
        status: 403,
        code: 'forbidden',
      });
    }
    // Admins hold users:* and still cannot give them to a token.
    await t
      .http()
      .post('/api/v1/tokens')
      .set(bearer(t.users.admin))
      .send({ name: 'admin', permissions: ['users:read'] })
      .expect(403);
    // Nor webhook administration: a leaked token must not register a receiver of every event.
    await t
      .http()
      .post('/api/v1/tokens')
      .set(bearer(t.users.admin))
      .send({ name: 'hooks', permissions: ['webhooks:manage'] })
      .expect(403);
    // A token limited to some systems holds only permissions answered within a system's scope: the audit log, task
    // lists, audits and new systems reach records of other systems.
    for (const permissions of [['audit-log:read'], ['systems:write'], ['tasks:read'], ['packs:create']]) {
      const res = await t
        .http()
        .post('/api/v1/tokens')
        .set(specialist)
        .send({ name: 'limited', permissions: ['evidence:upload', ...permissions], systemIds: [systemA] });
      expect({ permissions, status: res.status, names: String(res.body.message).includes(permissions[0]) }).toEqual({
        permissions,
        status: 403,
        names: true,
      });
    }
    // Without tokens:manage there is no token at all.
    await t
      .http()
      .post('/api/v1/tokens')
      .set(bearer(t.users.engineer))
      .send({ name: 'engineer', permissions: ['evidence:upload'] })
      .expect(403);
    expect((await tokenRows()).length).toBe(before);
  });

  it('refuses an expiry beyond a year, an unknown permission or system with 400 naming the field', async () => {
    const before = (await tokenRows()).length;
    const specialist = bearer(t.users.governance_specialist);
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'long', permissions: ['systems:read'], expiresInDays: 366 }, 'expiresInDays'],
      [{ name: 'zero', permissions: ['systems:read'], expiresInDays: 0 }, 'expiresInDays'],
      [{ name: 'odd', permissions: ['systems:fly'] }, 'permissions'],
      [{ name: 'none', permissions: [] }, 'permissions'],
      [{ name: 'ghost', permissions: ['systems:read'], systemIds: [randomUUID()] }, 'systemIds'],
      [{ permissions: ['systems:read'] }, 'name'],
    ];
    for (const [body, field] of cases) {
      const res = await t.http().post('/api/v1/tokens').set(specialist).send(body);
      expect({ body, status: res.status, names: JSON.stringify(res.body).includes(field) }).toEqual({
        body,
        status: 400,
        names: true,
      });
    }
    const year = await createToken(t.users.governance_specialist, {
      name: 'a year',
      permissions: ['systems:read'],
      expiresInDays: 365,
    });
    expect(Date.parse(year.expiresAt) - Date.parse(year.createdAt)).toBe(365 * DAY);
    expect((await tokenRows()).length).toBe(before + 1);
  });

  it('limits a token to its systems (404 elsewhere) and its permissions (403 beyond them)', async () => {
    const { token } = await createToken(t.users.governance_specialist, {
      name: 'system A pipeline',
      permissions: ['evidence:upload', 'evidence:read', 'systems:read'],
      systemIds: [systemA],
    });
    await t.http().get(`/api/v1/systems/${systemA}`).set(withToken(token)).expect(200);
    const other = await t.http().get(`/api/v1/systems/${systemB}`).set(withToken(token)).expect(404);
    const missing = await t.http().get(`/api/v1/systems/${randomUUID()}`).set(withToken(token)).expect(404);
    expect(other.body.code).toBe(missing.body.code);
    const list = await t.http().get('/api/v1/systems').set(withToken(token)).expect(200);
    const ids = ((list.body.items ?? list.body) as { id: string }[]).map((s) => s.id);
    expect(ids).toEqual([systemA]);

    await upload(token, systemA, controlA).expect(201);
    await upload(token, systemB, controlA).expect(404);

    // The creator may write systems and read users' lists; the token was given neither.
    await t.http().post('/api/v1/systems').set(withToken(token)).send(minimalSystem()).expect(403);
    await t.http().get('/api/v1/tasks').set(withToken(token)).expect(403);
    await t.http().get('/api/v1/tokens').set(withToken(token)).expect(403);
    await t.http().get('/api/v1/auth/me').set(withToken(token)).expect(403);
  });

  it('answers an expired, revoked, malformed or unknown token, or a disabled creator, with one 401', async () => {
    const creator = await t.user('governance_specialist');
    const make = () => createToken(creator, { name: 'short', permissions: ['systems:read'], expiresInDays: 1 });
    const probe = (token: string) => t.http().get('/api/v1/systems').set(withToken(token));

    const live = await make();
    await probe(live.token).expect(200);

    const expiring = await make();
    offsetMs = DAY + 1000;
    const expired = await probe(expiring.token).expect(401);
    offsetMs = 0;

    const revoking = await make();
    await t.http().delete(`/api/v1/tokens/${revoking.id}`).set(bearer(creator)).expect(204);
    const revoked = await probe(revoking.token).expect(401);
    // Revoking again changes nothing.
    await t.http().delete(`/api/v1/tokens/${revoking.id}`).set(bearer(creator)).expect(204);

    const malformed = await probe('wbt_not-a-token').expect(401);
    const unknown = await probe(`wbt_${randomBytes(32).toString('base64url')}`).expect(401);

    const disabling = await make();
    await t.http().patch(`/api/v1/users/${creator.id}`).set(bearer(t.users.admin)).send({ disabled: true }).expect(200);
    const disabled = await probe(disabling.token).expect(401);

    const sameBody = (res: { body: Record<string, unknown> }) => ({ ...res.body, requestId: undefined });
    for (const res of [revoked, malformed, unknown, disabled]) expect(sameBody(res)).toEqual(sameBody(expired));
    expect(expired.body.code).toBe('unauthenticated');

    const log = await t
      .http()
      .get(`/api/v1/audit-log?entityType=api_token&entityId=${revoking.id}`)
      .set(bearer(t.users.admin))
      .expect(200);
    const actions = ((log.body.items ?? log.body) as { action: string }[]).map((e) => e.action);
    expect(actions.filter((a) => a === 'token.revoke')).toHaveLength(1);
  });

  it('attributes what a token changes to the token and its creator in the audit log', async () => {
    const created = await createToken(t.users.governance_specialist, {
      name: 'attributed pipeline',
      permissions: ['evidence:upload', 'systems:read'],
      systemIds: [systemA],
    });
    const evidenceId = (await upload(created.token, systemA, controlA).expect(201)).body.id as string;
    const log = await t.http().get(`/api/v1/audit-log?entityId=${evidenceId}`).set(bearer(t.users.admin)).expect(200);
    const entries = (log.body.items ?? log.body) as { actor: string; payload: string }[];
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) {
      expect(entry.actor).toBe(t.users.governance_specialist.email);
      expect(JSON.parse(entry.payload)).toMatchObject({ viaToken: { id: created.id, name: 'attributed pipeline' } });
    }
    // The same change made with a session names no token.
    const byHand = await t
      .http()
      .post(`/api/v1/systems/${systemA}/evidence`)
      .set(bearer(t.users.governance_specialist))
      .field('controlCodes[]', controlA)
      .field('title', 'By hand')
      .field('kind', 'test_report')
      .field('collectedAt', new Date(Date.now() - 60_000).toISOString())
      .attach('file', Buffer.from(`hand ${randomUUID()}\n`), { filename: 'hand.txt', contentType: 'text/plain' })
      .expect(201);
    const handLog = await t
      .http()
      .get(`/api/v1/audit-log?entityId=${byHand.body.id}`)
      .set(bearer(t.users.admin))
      .expect(200);
    for (const entry of (handLog.body.items ?? handLog.body) as { payload: string }[])
      expect(JSON.parse(entry.payload)).not.toHaveProperty('viaToken');
    const verify = await t.http().get('/api/v1/audit-log/verify').set(bearer(t.users.admin)).expect(200);
    expect(verify.body.valid).toBe(true);
  });

  it('records the last use at most once a minute, with the client address', async () => {
    const created = await createToken(t.users.governance_specialist, { name: 'used', permissions: ['systems:read'] });
    const lastUsed = async () =>
      (await t.dataSource.getRepository(ApiTokenEntity).findOneByOrFail({ id: created.id })).lastUsedAt;
    await t.http().get('/api/v1/systems').set(withToken(created.token)).expect(200);
    const first = await lastUsed();
    expect(first).not.toBeNull();
    offsetMs = 30_000;
    await t.http().get('/api/v1/systems').set(withToken(created.token)).expect(200);
    expect(await lastUsed()).toBe(first);
    offsetMs = 61_000;
    await t.http().get('/api/v1/systems').set(withToken(created.token)).expect(200);
    const later = await lastUsed();
    expect(later! > first!).toBe(true);
    const listed = (await t.http().get('/api/v1/tokens').set(bearer(t.users.governance_specialist)).expect(200))
      .body as { id: string; lastUsedAt: string; lastUsedFrom: string }[];
    expect(listed.find((x) => x.id === created.id)).toMatchObject({
      lastUsedAt: later,
      lastUsedFrom: expect.any(String),
    });
  });

  it('lists every token to an admin and only their own to a specialist, who cannot revoke others (404)', async () => {
    const mine = await createToken(t.users.governance_specialist, { name: 'mine', permissions: ['systems:read'] });
    const admins = await createToken(t.users.admin, { name: 'admins', permissions: ['systems:read'] });
    const ids = async (user: TestUser) =>
      ((await t.http().get('/api/v1/tokens').set(bearer(user)).expect(200)).body as { id: string }[]).map((x) => x.id);
    expect(await ids(t.users.admin)).toEqual(expect.arrayContaining([mine.id, admins.id]));
    const specialistSees = await ids(t.users.governance_specialist);
    expect(specialistSees).toContain(mine.id);
    expect(specialistSees).not.toContain(admins.id);
    await t.http().delete(`/api/v1/tokens/${admins.id}`).set(bearer(t.users.governance_specialist)).expect(404);
    await t.http().get('/api/v1/systems').set(withToken(admins.token)).expect(200);
    // An admin revokes anyone's token, and it stops at once.
    await t.http().delete(`/api/v1/tokens/${mine.id}`).set(bearer(t.users.admin)).expect(204);
    await t.http().get('/api/v1/systems').set(withToken(mine.token)).expect(401);
  });

  it('does not sign in to the web pages: they take the session cookie only', async () => {
    const { token } = await createToken(t.users.governance_specialist, { name: 'web', permissions: ['systems:read'] });
    const anonymous = await t.http().get('/').set('Accept', 'text/html');
    const page = await t.http().get('/').set('Accept', 'text/html').set(withToken(token));
    expect(anonymous.status).not.toBe(200);
    expect({ status: page.status, location: page.headers.location }).toEqual({
      status: anonymous.status,
      location: anonymous.headers.location,
    });
    // The same token reads the API.
    await t.http().get('/api/v1/systems').set(withToken(token)).expect(200);
  });
});
