import { createHash, createPublicKey, verify } from 'node:crypto';
import { AuditCheckpointService } from '../../src/audit-log/audit-checkpoint.service';
import { AuditCheckpointEntity } from '../../src/audit-log/entities/audit-checkpoint.entity';
import { AuditLogEntryEntity } from '../../src/audit-log/entities/audit-log-entry.entity';
import { MerkleTree, rootFromInclusionProof } from '../../src/audit-log/merkle';
import { SigningKeyService } from '../../src/signing/signing-key.service';
import { bearer, startTestApp, TEST_PASSWORD, TestApp } from '../factories/test-app';

/**
 * Signed Merkle checkpoints of the audit log and inclusion proofs on a real database after real migrations
 * (SQLite, or PostgreSQL with DATABASE_URL), with the signing key made at first start.
 */
describe('audit-log checkpoints, proofs and the signing key (integration)', () => {
  let t: TestApp;
  let members = 0;

  const sql = (text: string, params: unknown[] = []) =>
    t.dataSource.query(t.database.kind === 'postgres' ? text : text.replace(/\$\d+/g, '?'), params);
  const addMember = async () => {
    members++;
    await t
      .http()
      .post('/api/v1/users')
      .set(bearer(t.users.admin))
      .send({
        email: `m${members}@example.test`,
        displayName: `M ${members}`,
        role: 'engineer',
        password: TEST_PASSWORD,
      })
      .expect(201);
  };
  const hashes = async () =>
    (await t.dataSource.getRepository(AuditLogEntryEntity).find({ order: { seq: 'ASC' } })).map((e) => e.hash);
  const proofOf = async (seq: number) =>
    (await t.http().get(`/api/v1/audit-log/proof?seq=${seq}`).set(bearer(t.users.auditor)).expect(200)).body as Awaited<
      ReturnType<AuditCheckpointService['proof']>
    >;
  const signingKey = async () =>
    (await t.http().get('/api/v1/signing-key').expect(200)).body as Awaited<
      ReturnType<SigningKeyService['publicKeys']>
    >;

  beforeAll(async () => {
    t = await startTestApp();
    for (let i = 0; i < 5; i++) await addMember();
  });
  afterAll(async () => t?.close());

  it('makes an Ed25519 key at first start, 0600 in the data directory, and serves its public half and fingerprint', async () => {
    const { statSync } = await import('node:fs');
    expect(statSync(`${t.config.dataDir}/signing-key.pem`).mode & 0o777).toBe(0o600);
    const key = await signingKey();
    const der = createPublicKey(key.publicKeyPem).export({ type: 'spki', format: 'der' });
    expect(key).toMatchObject({ algorithm: 'Ed25519', fingerprint: createHash('sha256').update(der).digest('hex') });
    expect(key.keys).toEqual([key.current]);
    expect(key.current.validTo).toBeNull();
  });

  it('proves an entry against a signed checkpoint that anyone can check with the public key', async () => {
    const all = await hashes();
    const body = await proofOf(3);
    expect(body).toMatchObject({ seq: 3, leafIndex: 2, entryHash: all[2], treeSize: all.length });
    expect(body.checkpoint.rootHash).toBe(new MerkleTree(all).root());
    expect(rootFromInclusionProof(body.entryHash, body.leafIndex, body.treeSize, body.proof)).toBe(
      body.checkpoint.rootHash,
    );
    const key = await signingKey();
    expect(body.checkpoint.keyFingerprint).toBe(key.fingerprint);
    expect(
      verify(
        null,
        Buffer.from(body.checkpoint.signedText),
        createPublicKey(key.publicKeyPem),
        Buffer.from(body.checkpoint.signature, 'base64'),
      ),
    ).toBe(true);
  });

  it('answers 400 for a seq that is not a positive integer and 404 for one past the head, storing nothing', async () => {
    const before = await t.dataSource.getRepository(AuditCheckpointEntity).count();
    for (const bad of ['abc', '0', '-1', '1.5', '']) {
      const res = await t.http().get(`/api/v1/audit-log/proof?seq=${bad}`).set(bearer(t.users.auditor)).expect(400);
      expect(JSON.stringify(res.body)).toContain('seq must be an integer from 1');
    }
    await t.http().get('/api/v1/audit-log/proof').set(bearer(t.users.auditor)).expect(400);
    const res = await t.http().get('/api/v1/audit-log/proof?seq=999999').set(bearer(t.users.auditor)).expect(404);
    expect(res.body.message).toContain('Audit-log entry 999999 was not found');
    expect(await t.dataSource.getRepository(AuditCheckpointEntity).count()).toBe(before);
    await t.http().get('/api/v1/audit-log/proof?seq=1').expect(401);
  });

  it('walks on from the latest checkpoint and signs a new one over the whole tree', async () => {
    const checkpoints = t.app.get(AuditCheckpointService);
    const first = (await checkpoints.latest())!;
    await addMember();
    await addMember();
    const chain = await checkpoints.verifyAndCheckpoint();
    const all = await hashes();
    expect(chain).toMatchObject({ valid: true, entries: all.length, headSeq: all.length });
    const next = (await checkpoints.latest())!;
    expect(next.treeSize).toBe(all.length);
    expect(next.treeSize).toBeGreaterThan(first.treeSize);
    expect(next.rootHash).toBe(new MerkleTree(all).root());
    // A proof of an old entry against the new checkpoint.
    const body = await proofOf(2);
    expect(body.treeSize).toBe(next.treeSize);
    expect(rootFromInclusionProof(all[1], 1, body.treeSize, body.proof)).toBe(next.rootHash);
  });

  it('refuses to walk on when the checkpoint was altered or its last entry rewritten', async () => {
    const checkpoints = t.app.get(AuditCheckpointService);
    const latest = (await checkpoints.latest())!;
    await sql('UPDATE audit_checkpoints SET "rootHash" = $1 WHERE "treeSize" = $2', ['0'.repeat(64), latest.treeSize]);
    expect(await checkpoints.verifyAndCheckpoint()).toMatchObject({
      valid: false,
      firstBadSeq: latest.treeSize,
      problem: expect.stringContaining('does not carry a valid signature'),
    });
    await sql('UPDATE audit_checkpoints SET "rootHash" = $1 WHERE "treeSize" = $2', [latest.rootHash, latest.treeSize]);
    const [row] = await sql('SELECT "hash" FROM audit_log WHERE seq = $1', [latest.treeSize]);
    await sql('UPDATE audit_log SET "hash" = $1 WHERE seq = $2', ['f'.repeat(64), latest.treeSize]);
    expect(await checkpoints.verifyAndCheckpoint()).toMatchObject({
      valid: false,
      problem: expect.stringContaining('no longer has the hash its checkpoint signed'),
    });
    await sql('UPDATE audit_log SET "hash" = $1 WHERE seq = $2', [(row as { hash: string }).hash, latest.treeSize]);
    expect((await checkpoints.verifyAndCheckpoint()).valid).toBe(true);
  });

  it('the audit-log page checks from the latest checkpoint: it signs one, and names an entry tampered after it', async () => {
    const checkpoints = t.app.get(AuditCheckpointService);
    const page = async () => {
      const res = await t.http().get('/audit-log').set('Cookie', `wb_session=${t.users.auditor.token}`).expect(200);
      return /id="chain-status" data-valid="(true|false)">([\s\S]*?)<\/p>/.exec(res.text)!;
    };
    await addMember();
    expect((await page())[1]).toBe('true');
    const signed = (await checkpoints.latest())!;
    expect(signed.treeSize).toBe((await hashes()).length);

    await addMember();
    const past = (await hashes()).length;
    const [after] = await sql('SELECT "payload" FROM audit_log WHERE seq = $1', [past]);
    await sql('UPDATE audit_log SET "payload" = $1 WHERE seq = $2', ['{"role":"admin"}', past]);
    const broken = await page();
    expect(broken[1]).toBe('false');
    expect(broken[2]).toContain(`#${past}`);
    await sql('UPDATE audit_log SET "payload" = $1 WHERE seq = $2', [(after as { payload: string }).payload, past]);

    // An entry the checkpoint already covers is the full walk's to find (GET /api/v1/audit-log/verify), not the page's.
    const [before] = await sql('SELECT "payload" FROM audit_log WHERE seq = 2');
    await sql('UPDATE audit_log SET "payload" = $1 WHERE seq = 2', ['{"role":"admin"}']);
    expect((await page())[1]).toBe('true');
    const full = await t.http().get('/api/v1/audit-log/verify').set(bearer(t.users.auditor)).expect(200);
    expect(full.body).toMatchObject({ valid: false, firstBadSeq: 2 });
    await sql('UPDATE audit_log SET "payload" = $1 WHERE seq = 2', [(before as { payload: string }).payload]);
  });

  it('rotates: a new key signs from then on, the old one stays listed with its validity and its checkpoints verify', async () => {
    const before = await signingKey();
    const rotated = await t.app.get(SigningKeyService).rotate('admin@example.test');
    const after = await signingKey();
    expect(after.fingerprint).toBe(rotated.fingerprint);
    expect(after.fingerprint).not.toBe(before.fingerprint);
    expect(after.keys.map((k) => k.fingerprint)).toEqual([after.fingerprint, before.fingerprint]);
    expect(after.keys[1].validTo).toEqual(expect.any(String));
    expect(after.keys[1].validTo! >= after.keys[0].validFrom).toBe(true);
    const [entry] = await sql('SELECT action FROM audit_log WHERE "entityId" = $1 AND "entityType" = $2', [
      after.fingerprint,
      'signing_key',
    ]);
    expect(entry).toEqual({ action: 'signing-key.rotate' });
    await addMember();
    const checkpoints = t.app.get(AuditCheckpointService);
    expect((await checkpoints.verifyAndCheckpoint()).valid).toBe(true);
    expect((await checkpoints.latest())!.keyFingerprint).toBe(after.fingerprint);
  });
});
