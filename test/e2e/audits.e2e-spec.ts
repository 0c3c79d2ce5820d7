import { minimalSystem } from '../factories/systems';
import { bearer, startTestApp, TestApp } from '../factories/test-app';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

describe('audits and auditor scoping (e2e)', () => {
  let t: TestApp;
  let audited: string;
  let other: string;
  let auditedEvidence: string;
  let otherEvidence: string;
  let auditId: string;
  let unassignedAuditId: string;

  const specialist = () => bearer(t.users.governance_specialist);
  const auditor = () => bearer(t.users.auditor);

  async function systemWithEvidence(name: string): Promise<{ id: string; evidenceId: string }> {
    const id = (await t.http().post('/api/v1/systems').set(specialist()).send(minimalSystem({ name })).expect(201)).body
      .id;
    const code = (await t.http().get(`/api/v1/systems/${id}/controls`).set(specialist()).expect(200)).body[0]
      .controlCode;
    const evidence = await t
      .http()
      .post(`/api/v1/systems/${id}/evidence`)
      .set(bearer(t.users.engineer))
      .field('controlCodes[]', code)
      .field('title', `${name} evidence`)
      .field('kind', 'document')
      .field('collectedAt', new Date(Date.now() - 60000).toISOString())
      .attach('file', PDF, { filename: 'report.pdf', contentType: 'application/pdf' })
      .expect(201);
    return { id, evidenceId: evidence.body.id };
  }

  const auditBody = (overrides: Record<string, unknown> = {}) => ({
    name: 'FY2026 SOC 2 Type II',
    systemIds: [audited],
    frameworks: ['soc2-tsc-2017', 'nist-ai-rmf-1.0'],
    periodStart: '2026-01-01T00:00:00.000Z',
    periodEnd: '2026-12-31T23:59:59.000Z',
    auditorIds: [t.users.auditor.id],
    ...overrides,
  });

  beforeAll(async () => {
    t = await startTestApp();
    ({ id: audited, evidenceId: auditedEvidence } = await systemWithEvidence('Audited system'));
    ({ id: other, evidenceId: otherEvidence } = await systemWithEvidence('Other system'));
  });
  afterAll(async () => t?.close());

  it('creates audits with validated scope and shows systems and auditors', async () => {
    await t
      .http()
      .post('/api/v1/audits')
      .set(specialist())
      .send(auditBody({ periodEnd: '2025-12-31T00:00:00.000Z' }))
      .expect(400);
    await t
      .http()
      .post('/api/v1/audits')
      .set(specialist())
      .send(auditBody({ auditorIds: [t.users.engineer.id] }))
      .expect(400);
    await t
      .http()
      .post('/api/v1/audits')
      .set(specialist())
      .send(auditBody({ frameworks: ['iso-42001'] }))
      .expect(400);
    await t
      .http()
      .post('/api/v1/audits')
      .set(specialist())
      .send(auditBody({ systemIds: ['00000000-0000-4000-8000-000000000000'] }))
      .expect(400);
    await t.http().post('/api/v1/audits').set(bearer(t.users.engineer)).send(auditBody()).expect(403);
    await t.http().post('/api/v1/audits').set(auditor()).send(auditBody()).expect(403);

    const created = await t.http().post('/api/v1/audits').set(specialist()).send(auditBody()).expect(201);
    auditId = created.body.id;
    expect(created.body).toMatchObject({
      name: 'FY2026 SOC 2 Type II',
      frameworks: ['nist-ai-rmf-1.0', 'soc2-tsc-2017'],
      systems: [{ id: audited, name: 'Audited system' }],
      auditors: [{ id: t.users.auditor.id, email: t.users.auditor.email }],
    });
    unassignedAuditId = (
      await t
        .http()
        .post('/api/v1/audits')
        .set(specialist())
        .send(auditBody({ name: 'Other audit', systemIds: [other], auditorIds: [] }))
        .expect(201)
    ).body.id;
    const all = await t.http().get('/api/v1/audits').set(specialist()).expect(200);
    expect(all.body.total).toBe(2);
  });

  it('scopes an auditor to the systems of their audits, answering 404 outside them', async () => {
    const audits = await t.http().get('/api/v1/audits').set(auditor()).expect(200);
    expect(audits.body.items.map((a: { id: string }) => a.id)).toEqual([auditId]);
    await t.http().get(`/api/v1/audits/${auditId}`).set(auditor()).expect(200);
    await t.http().get(`/api/v1/audits/${unassignedAuditId}`).set(auditor()).expect(404);

    const systems = await t.http().get('/api/v1/systems').set(auditor()).expect(200);
    expect(systems.body.items.map((s: { id: string }) => s.id)).toEqual([audited]);
    await t.http().get(`/api/v1/systems/${other}`).set(auditor()).expect(404);
    await t.http().get(`/api/v1/systems/${other}/coverage`).set(auditor()).expect(404);
    await t.http().get(`/api/v1/evidence/${otherEvidence}`).set(auditor()).expect(404);

    await t.http().get(`/api/v1/systems/${audited}`).set(auditor()).expect(200);
    const coverage = await t.http().get(`/api/v1/systems/${audited}/coverage`).set(auditor()).expect(200);
    expect(coverage.body.frameworks.length).toBeGreaterThan(0);
    const evidence = await t.http().get(`/api/v1/evidence/${auditedEvidence}`).set(auditor()).expect(200);
    expect(evidence.body.systemId).toBe(audited);
  });

  it('keeps auditors read-only', async () => {
    await t
      .http()
      .post('/api/v1/systems')
      .set(auditor())
      .send(minimalSystem({ name: 'Nope' }))
      .expect(403);
    await t
      .http()
      .post('/api/v1/tasks')
      .set(auditor())
      .send({ systemId: audited, kind: 'review', title: 'x', assigneeRole: 'engineer' })
      .expect(403);
    await t.http().get('/api/v1/tasks').set(auditor()).expect(403);
    await t
      .http()
      .patch(`/api/v1/audits/${auditId}`)
      .set(auditor())
      .send({ systemIds: [audited, other] })
      .expect(403);
  });

  it("widens an auditor's scope when the audit gains a system", async () => {
    const updated = await t
      .http()
      .patch(`/api/v1/audits/${auditId}`)
      .set(specialist())
      .send({ systemIds: [audited, other] })
      .expect(200);
    expect(updated.body.systems.map((s: { name: string }) => s.name)).toEqual(['Audited system', 'Other system']);
    await t.http().get(`/api/v1/evidence/${otherEvidence}`).set(auditor()).expect(200);
    const log = await t
      .http()
      .get(`/api/v1/audit-log?entityType=audit&entityId=${auditId}`)
      .set(specialist())
      .expect(200);
    expect(JSON.stringify(log.body)).toContain('audit.update');
  });

  describe('period audits and the management assertion', () => {
    let periodAuditId: string;
    const get = async () => (await t.http().get(`/api/v1/audits/${periodAuditId}`).set(specialist()).expect(200)).body;

    beforeAll(async () => {
      const created = await t
        .http()
        .post('/api/v1/audits')
        .set(specialist())
        .send(auditBody({ name: 'FY2026 period', type: 'period' }))
        .expect(201);
      periodAuditId = created.body.id;
      expect(created.body).toMatchObject({ type: 'period', assertion: null });
    });

    it('defaults to a point-in-time audit and refuses an unknown type', async () => {
      const plain = await t.http().get(`/api/v1/audits/${auditId}`).set(specialist()).expect(200);
      expect(plain.body.type).toBe('point_in_time');
      const bad = await t
        .http()
        .post('/api/v1/audits')
        .set(specialist())
        .send(auditBody({ type: 'continuous' }))
        .expect(400);
      expect(bad.body.message).toContain('type');
    });

    it('reads a period given as dates as whole days, so the last day is inside the period', async () => {
      const created = await t
        .http()
        .post('/api/v1/audits')
        .set(specialist())
        .send(auditBody({ name: 'H1 2026', periodStart: '2026-01-01', periodEnd: '2026-06-30' }))
        .expect(201);
      expect(created.body).toMatchObject({
        periodStart: '2026-01-01T00:00:00.000Z',
        periodEnd: '2026-06-30T23:59:59.999Z',
      });
      const moved = await t
        .http()
        .patch(`/api/v1/audits/${created.body.id}`)
        .set(specialist())
        .send({ periodEnd: '2026-07-31' })
        .expect(200);
      expect(moved.body.periodEnd).toBe('2026-07-31T23:59:59.999Z');
    });

    it('refuses a period whose end precedes its start, storing nothing', async () => {
      const before = await get();
      const bad = await t
        .http()
        .patch(`/api/v1/audits/${periodAuditId}`)
        .set(specialist())
        .send({ periodEnd: '2025-06-30T00:00:00.000Z', name: 'Renamed' })
        .expect(400);
      expect(bad.body.message).toContain('periodEnd');
      const reversed = await t
        .http()
        .patch(`/api/v1/audits/${periodAuditId}`)
        .set(specialist())
        .send({ periodStart: '2027-06-30T00:00:00.000Z' })
        .expect(400);
      expect(reversed.body.details).toEqual({ field: 'periodStart' });
      expect(await get()).toEqual(before);
    });

    it('refuses an assertion over 20,000 characters, storing nothing', async () => {
      const bad = await t
        .http()
        .patch(`/api/v1/audits/${periodAuditId}`)
        .set(specialist())
        .send({ assertion: 'x'.repeat(20001), name: 'Renamed' })
        .expect(400);
      expect(bad.body.message).toContain('assertion must be at most 20000 characters');
      expect((await get()).assertion).toBeNull();
      expect((await get()).name).toBe('FY2026 period');
    });

    it('refuses to sign off a missing assertion, and lets only holders of audits:sign-off sign', async () => {
      const missing = await t
        .http()
        .post(`/api/v1/audits/${periodAuditId}/assertion/sign-off`)
        .set(specialist())
        .expect(400);
      expect(missing.body.message).toContain('no management assertion');
      await t.http().post(`/api/v1/audits/${periodAuditId}/assertion/sign-off`).set(auditor()).expect(403);
      await t
        .http()
        .post(`/api/v1/audits/${periodAuditId}/assertion/sign-off`)
        .set(bearer(t.users.engineer))
        .expect(403);
    });

    it('signs off the assertion with name and date, and an edit clears the sign-off', async () => {
      const text = 'Management asserts that the controls described were suitably designed and operated effectively.';
      const edited = await t
        .http()
        .patch(`/api/v1/audits/${periodAuditId}`)
        .set(specialist())
        .send({ assertion: 'x'.repeat(20000) })
        .expect(200);
      expect(edited.body.assertion.text).toHaveLength(20000);
      await t.http().patch(`/api/v1/audits/${periodAuditId}`).set(specialist()).send({ assertion: text }).expect(200);
      const signed = await t
        .http()
        .post(`/api/v1/audits/${periodAuditId}/assertion/sign-off`)
        .set(specialist())
        .expect(200);
      expect(signed.body.assertion).toMatchObject({
        text,
        updatedBy: t.users.governance_specialist.id,
        signedOff: { userId: t.users.governance_specialist.id, name: expect.any(String) as string },
      });
      expect(Date.parse(signed.body.assertion.signedOff.at)).not.toBeNaN();
      await t.http().post(`/api/v1/audits/${periodAuditId}/assertion/sign-off`).set(specialist()).expect(409);

      // The same text again changes nothing and keeps the sign-off; a new text or a new period clears it.
      const same = await t
        .http()
        .patch(`/api/v1/audits/${periodAuditId}`)
        .set(specialist())
        .send({ assertion: text })
        .expect(200);
      expect(same.body.assertion.signedOff).not.toBeNull();
      const changed = await t
        .http()
        .patch(`/api/v1/audits/${periodAuditId}`)
        .set(specialist())
        .send({ assertion: `${text} Revised.` })
        .expect(200);
      expect(changed.body.assertion.signedOff).toBeNull();
      await t.http().post(`/api/v1/audits/${periodAuditId}/assertion/sign-off`).set(specialist()).expect(200);
      const moved = await t
        .http()
        .patch(`/api/v1/audits/${periodAuditId}`)
        .set(specialist())
        .send({ periodEnd: '2026-11-30T23:59:59.000Z' })
        .expect(200);
      expect(moved.body).toMatchObject({ periodEnd: '2026-11-30T23:59:59.000Z', assertion: { signedOff: null } });

      const log = await t
        .http()
        .get(`/api/v1/audit-log?entityType=audit&entityId=${periodAuditId}`)
        .set(specialist())
        .expect(200);
      expect(JSON.stringify(log.body)).toContain('audit.assertion-sign-off');
    });

    it('shows the assertion to the assigned auditor', async () => {
      const seen = await t.http().get(`/api/v1/audits/${periodAuditId}`).set(auditor()).expect(200);
      expect(seen.body.assertion.text).toContain('Management asserts');
    });
  });
});
