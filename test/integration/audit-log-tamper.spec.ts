import { linkHash } from '../../src/audit-log/audit-chain';
import { AuditLogRepository } from '../../src/audit-log/audit-log.repository';
import { AuditLogService } from '../../src/audit-log/audit-log.service';
import { AuditLogEntryEntity, AuditLogHeadEntity } from '../../src/audit-log/entities/audit-log-entry.entity';
import { SessionEntity } from '../../src/auth/entities/session.entity';
import { sha256Hex } from '../../src/common/canonical-json';
import { UserEntity } from '../../src/users/entities/user.entity';
import { discoverRoutes, expressRoutes } from '../factories/routes';
import { bearer, startTestApp, TEST_PASSWORD, TestApp } from '../factories/test-app';

/**
 * The audit log on a real database after real migrations (SQLite, or PostgreSQL with DATABASE_URL): entries written
 * through the API, then tampered with in raw SQL the way someone with database access would, one case at a time.
 */
describe('audit log tamper evidence (integration)', () => {
  let t: TestApp;
  let original: AuditLogEntryEntity[];
  let originalHead: AuditLogHeadEntity;
  let last: number;

  /** Raw SQL with $1, $2... placeholders on both databases. */
  const sql = (text: string, params: unknown[] = []) =>
    t.dataSource.query(t.database.kind === 'postgres' ? text : text.replace(/\$\d+/g, '?'), params);
  const auditor = () => bearer(t.users.auditor);
  const verify = async () => (await t.http().get('/api/v1/audit-log/verify').set(auditor()).expect(200)).body;
  const checkpoint = async () => (await t.http().get('/api/v1/audit-log/checkpoint').set(auditor()).expect(200)).body;
  const verifyCheckpoint = async (body: object) =>
    (await t.http().post('/api/v1/audit-log/checkpoint/verify').set(auditor()).send(body).expect(200)).body;

  beforeAll(async () => {
    t = await startTestApp();
    for (let i = 1; i <= 8; i++) {
      await t
        .http()
        .post('/api/v1/users')
        .set(bearer(t.users.admin))
        .send({
          email: `member-${i}@example.test`,
          displayName: `Member ${i}`,
          role: 'engineer',
          password: TEST_PASSWORD,
        })
        .expect(201);
    }
    original = await t.dataSource.getRepository(AuditLogEntryEntity).find({ order: { seq: 'ASC' } });
    originalHead = (await t.dataSource.getRepository(AuditLogHeadEntity).findOneBy({ id: 1 }))!;
    last = originalHead.seq;
  });
  afterAll(async () => t?.close());

  afterEach(async () => {
    // Put the untouched chain back, so every case starts from the same log.
    await sql('DELETE FROM audit_log');
    await t.dataSource.getRepository(AuditLogEntryEntity).insert(original.map((e) => ({ ...e })));
    await sql('DELETE FROM audit_log_head');
    await t.dataSource.getRepository(AuditLogHeadEntity).insert({ ...originalHead });
    expect((await verify()).valid).toBe(true);
  });

  it('starts from an intact chain of real entries', async () => {
    expect(last).toBeGreaterThanOrEqual(10);
    expect(original.map((e) => e.seq)).toEqual(Array.from({ length: last }, (_, i) => i + 1));
    expect(original.filter((e) => e.action === 'user.create' && e.actor === 'admin@example.test')).toHaveLength(8);
    expect(await verify()).toMatchObject({
      valid: true,
      entries: last,
      headSeq: last,
      headHash: originalHead.hash,
      firstBadSeq: null,
      problem: null,
    });
  });

  it('names the seq of an edited payload', async () => {
    const seq = last - 4;
    await sql('UPDATE audit_log SET payload = $1 WHERE seq = $2', [
      '{"email":"mallory@evil.test","role":"admin"}',
      seq,
    ]);
    expect(await verify()).toMatchObject({
      valid: false,
      firstBadSeq: seq,
      problem: expect.stringContaining('payload'),
    });
  });

  it('names the seq of edited metadata', async () => {
    const seq = 3;
    await sql('UPDATE audit_log SET actor = $1 WHERE seq = $2', ['someone-else@example.test', seq]);
    expect(await verify()).toMatchObject({ valid: false, firstBadSeq: seq });
  });

  it('names the next seq when a row is rewritten with recomputed hashes', async () => {
    const seq = 5;
    const row = original[seq - 1];
    const payload = '{"email":"mallory@evil.test"}';
    const forged = { ...row, payload, payloadHash: sha256Hex(payload) };
    forged.hash = linkHash(forged);
    await sql('UPDATE audit_log SET payload = $1, "payloadHash" = $2, hash = $3 WHERE seq = $4', [
      payload,
      forged.payloadHash,
      forged.hash,
      seq,
    ]);
    expect(await verify()).toMatchObject({
      valid: false,
      firstBadSeq: seq + 1,
      problem: expect.stringContaining('previous-hash'),
    });
  });

  it('names the seq of a deleted middle row', async () => {
    const seq = Math.floor(last / 2);
    await sql('DELETE FROM audit_log WHERE seq = $1', [seq]);
    expect(await verify()).toMatchObject({
      valid: false,
      firstBadSeq: seq,
      problem: expect.stringContaining('missing'),
    });
  });

  it('names the first seq of two swapped rows', async () => {
    const [a, b] = [4, 7];
    await sql('UPDATE audit_log SET seq = $1 WHERE seq = $2', [-1, a]);
    await sql('UPDATE audit_log SET seq = $1 WHERE seq = $2', [a, b]);
    await sql('UPDATE audit_log SET seq = $1 WHERE seq = $2', [b, -1]);
    expect(await verify()).toMatchObject({ valid: false, firstBadSeq: a });
  });

  it('catches a deleted tail through the head, and through a checkpoint even when the head is rewound too', async () => {
    const before = await checkpoint();
    expect(before).toMatchObject({
      seq: last,
      hash: originalHead.hash,
      algorithm: 'HMAC-SHA256',
      signature: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(await verifyCheckpoint(before)).toEqual({ valid: true, problem: null });

    await sql('DELETE FROM audit_log WHERE seq > $1', [last - 2]);
    expect(await verify()).toMatchObject({
      valid: false,
      firstBadSeq: last - 1,
      headSeq: last,
      problem: expect.stringContaining('head'),
    });
    expect(await verifyCheckpoint(before)).toMatchObject({
      valid: false,
      problem: expect.stringContaining('truncated'),
    });

    // Someone who also rewinds the head leaves a chain that checks out on its own; the checkpoint still refuses it.
    await sql('UPDATE audit_log_head SET seq = $1, hash = $2 WHERE id = 1', [last - 2, original[last - 3].hash]);
    expect(await verify()).toMatchObject({ valid: true, headSeq: last - 2 });
    expect(await verifyCheckpoint(before)).toMatchObject({ valid: false });
  });

  it('refuses a chain whose head row was deleted while entries remain', async () => {
    await sql('DELETE FROM audit_log_head');
    expect(await verify()).toMatchObject({
      valid: false,
      entries: last,
      headSeq: 0,
      firstBadSeq: null,
      problem: expect.stringContaining('head'),
    });
  });

  it('names a forged row appended past the head, even when it is correctly chained', async () => {
    const tail = original[last - 1];
    const payload = '{"email":"mallory@evil.test","role":"admin"}';
    const forged = {
      ...tail,
      seq: last + 1,
      at: new Date().toISOString(),
      entityId: 'forged',
      payload,
      payloadHash: sha256Hex(payload),
      prevHash: tail.hash,
    };
    forged.hash = linkHash(forged);
    await t.dataSource.getRepository(AuditLogEntryEntity).insert(forged);
    expect(await verify()).toMatchObject({
      valid: false,
      entries: last + 1,
      headSeq: last,
      firstBadSeq: last + 1,
      problem: expect.stringContaining('head'),
    });
  });

  it('names the last row when it was rewritten with recomputed hashes and the head kept', async () => {
    const row = original[last - 1];
    const payload = '{"email":"mallory@evil.test"}';
    const forged = { ...row, payload, payloadHash: sha256Hex(payload) };
    forged.hash = linkHash(forged);
    await sql('UPDATE audit_log SET payload = $1, "payloadHash" = $2, hash = $3 WHERE seq = $4', [
      payload,
      forged.payloadHash,
      forged.hash,
      last,
    ]);
    expect(await verify()).toMatchObject({ valid: false, firstBadSeq: last, problem: expect.stringContaining('head') });
  });

  it('names a row hidden below seq 1, outside the walked chain', async () => {
    const payload = '{"note":"hidden"}';
    const hidden = { ...original[0], seq: 0, payload, payloadHash: sha256Hex(payload) };
    hidden.hash = linkHash(hidden);
    await t.dataSource.getRepository(AuditLogEntryEntity).insert(hidden);
    expect(await verify()).toMatchObject({ valid: false, entries: last, firstBadSeq: 0 });
  });

  it('catches an older entry rewritten behind a checkpoint', async () => {
    const before = await checkpoint();
    await sql('UPDATE audit_log SET payload = $1 WHERE seq = $2', ['{}', 2]);
    expect(await verifyCheckpoint(before)).toMatchObject({
      valid: false,
      problem: expect.stringContaining('chain broken at 2'),
    });
  });

  it('refuses a forged or altered checkpoint', async () => {
    const genuine = await checkpoint();
    const flip = (hex: string) => (hex[0] === 'a' ? 'b' : 'a') + hex.slice(1);
    expect(await verifyCheckpoint({ ...genuine, signature: flip(genuine.signature) })).toMatchObject({
      valid: false,
      problem: expect.stringContaining('signature'),
    });
    expect(await verifyCheckpoint({ ...genuine, seq: genuine.seq - 1, hash: original[last - 2].hash })).toMatchObject({
      valid: false,
    });
    expect(await verifyCheckpoint({ ...genuine, at: '2020-01-01T00:00:00.000Z' })).toMatchObject({ valid: false });
    await t
      .http()
      .post('/api/v1/audit-log/checkpoint/verify')
      .set(auditor())
      .send({ ...genuine, signature: 'not hex' })
      .expect(400);
    expect(await verifyCheckpoint(genuine)).toEqual({ valid: true, problem: null });
  });

  it('offers no route that edits or deletes audit entries, and no repository method that could', () => {
    const underAuditLog = [...discoverRoutes(t.app), ...expressRoutes(t.app)].filter((r) =>
      r.path.startsWith('/api/v1/audit-log'),
    );
    expect(underAuditLog.length).toBeGreaterThanOrEqual(4);
    expect(
      underAuditLog.filter((r) => !['GET', 'HEAD'].includes(r.method)).map((r) => `${r.method} ${r.path}`),
    ).toEqual(['POST /api/v1/audit-log/checkpoint/verify', 'POST /api/v1/audit-log/checkpoint/verify']);
    const methods = Object.getOwnPropertyNames(AuditLogRepository.prototype);
    expect(methods.filter((m) => /update|delete|remove|save|clear|truncate/i.test(m))).toEqual([]);
  });
});

describe('a change and its audit entry commit together (integration)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());
  afterEach(() => jest.restoreAllMocks());

  const entries = () => t.dataSource.getRepository(AuditLogEntryEntity).count();
  const failAppend = () =>
    jest.spyOn(AuditLogService.prototype, 'append').mockRejectedValue(new Error('audit log unavailable'));

  it('stores no user when the audit append fails', async () => {
    const before = await entries();
    failAppend();
    const res = await t
      .http()
      .post('/api/v1/users')
      .set(bearer(t.users.admin))
      .send({ email: 'ghost@example.test', displayName: 'Ghost', role: 'admin', password: TEST_PASSWORD });
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ statusCode: 500, message: 'Something went wrong on our side' });
    jest.restoreAllMocks();
    expect(await t.dataSource.getRepository(UserEntity).countBy({ email: 'ghost@example.test' })).toBe(0);
    expect(await entries()).toBe(before);
  });

  it('keeps the user enabled and their sessions alive when the audit append fails on a change', async () => {
    const target = t.users.engineer;
    failAppend();
    await t.http().patch(`/api/v1/users/${target.id}`).set(bearer(t.users.admin)).send({ disabled: true }).expect(500);
    jest.restoreAllMocks();
    expect(await t.dataSource.getRepository(UserEntity).findOneBy({ id: target.id })).toMatchObject({
      disabled: false,
    });
    await t.http().get('/api/v1/auth/me').set(bearer(target)).expect(200);
  });

  it('opens no session when the audit append fails on sign-in', async () => {
    const sessions = await t.dataSource.getRepository(SessionEntity).count();
    failAppend();
    await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: t.users.auditor.email, password: TEST_PASSWORD })
      .expect(500);
    jest.restoreAllMocks();
    expect(await t.dataSource.getRepository(SessionEntity).count()).toBe(sessions);
  });

  it('writes the entry with the change when nothing fails', async () => {
    const before = await entries();
    const res = await t
      .http()
      .post('/api/v1/users')
      .set(bearer(t.users.admin))
      .send({ email: 'real@example.test', displayName: 'Real', role: 'auditor', password: TEST_PASSWORD })
      .expect(201);
    const entry = await t.dataSource.getRepository(AuditLogEntryEntity).findOneBy({ seq: before + 1 });
    expect(entry).toMatchObject({
      action: 'user.create',
      actor: 'admin@example.test',
      entityType: 'user',
      entityId: res.body.id,
    });
    expect(JSON.parse(entry!.payload)).toEqual({ displayName: 'Real', email: 'real@example.test', role: 'auditor' });
  });
});
