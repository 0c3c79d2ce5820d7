import { CoverageService } from '../../src/controls/coverage.service';
import { AiSystemsRepository } from '../../src/ai-systems/ai-systems.repository';
import { minimalSystem } from '../factories/systems';
import { bearer, startTestApp, TestApp } from '../factories/test-app';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

interface ControlRow {
  id: string;
  controlCode: string;
  status: string;
  ownerUserId: string | null;
  ownerName: string | null;
}

describe('control tests, named owners and status history (e2e)', () => {
  let t: TestApp;
  let systemId: string;
  let otherSystemId: string;
  let tested: string;
  let other: string;
  let excluded: string;
  let evidenceOfTested: string;
  let evidenceOfOther: string;
  let evidenceOfOtherSystem: string;

  const specialist = () => bearer(t.users.governance_specialist);
  const admin = () => bearer(t.users.admin);
  const testsOf = (code: string, system = systemId) => `/api/v1/systems/${system}/controls/${code}/tests`;
  const body = (overrides: Record<string, unknown> = {}) => ({
    testedAt: new Date(Date.now() - 86400000).toISOString(),
    procedure: 'Inspected the access review records for a sample of quarters and re-performed one review.',
    populationSize: 12,
    sampleSize: 4,
    result: 'pass',
    notes: 'No deviations.',
    ...overrides,
  });

  async function upload(system: string, code: string, title: string): Promise<string> {
    const res = await t
      .http()
      .post(`/api/v1/systems/${system}/evidence`)
      .set(bearer(t.users.engineer))
      .field('controlCodes[]', code)
      .field('title', title)
      .field('kind', 'document')
      .field('collectedAt', new Date(Date.now() - 60000).toISOString())
      .attach('file', PDF, { filename: 'report.pdf', contentType: 'application/pdf' })
      .expect(201);
    return res.body.id as string;
  }

  const controls = async (): Promise<ControlRow[]> =>
    (await t.http().get(`/api/v1/systems/${systemId}/controls`).set(specialist()).expect(200)).body as ControlRow[];

  beforeAll(async () => {
    t = await startTestApp();
    systemId = (await t.http().post('/api/v1/systems').set(specialist()).send(minimalSystem()).expect(201)).body.id;
    otherSystemId = (
      await t
        .http()
        .post('/api/v1/systems')
        .set(specialist())
        .send(minimalSystem({ name: 'Other system' }))
        .expect(201)
    ).body.id;
    [tested, other, excluded] = (await controls()).map((c) => c.controlCode);
    evidenceOfTested = await upload(systemId, tested, 'Access review records');
    evidenceOfOther = await upload(systemId, other, 'Unrelated evidence');
    evidenceOfOtherSystem = await upload(otherSystemId, tested, 'Evidence of another system');
  });
  afterAll(async () => t?.close());

  it('names an owner on a control implementation, validated to be an active user', async () => {
    const set = await t
      .http()
      .patch(`/api/v1/systems/${systemId}/controls/${tested}`)
      .set(specialist())
      .send({ ownerUserId: t.users.governance_specialist.id })
      .expect(200);
    expect(set.body).toMatchObject({ ownerUserId: t.users.governance_specialist.id, ownerName: expect.any(String) });
    const row = (await controls()).find((c) => c.controlCode === tested)!;
    expect(row.ownerName).toBe(set.body.ownerName);

    const unknown = await t
      .http()
      .patch(`/api/v1/systems/${systemId}/controls/${other}`)
      .set(specialist())
      .send({ ownerUserId: '00000000-0000-4000-8000-000000000000' })
      .expect(400);
    expect(unknown.body.message).toContain('ownerUserId');
    const malformed = await t
      .http()
      .patch(`/api/v1/systems/${systemId}/controls/${other}`)
      .set(specialist())
      .send({ ownerUserId: 'alice' })
      .expect(400);
    expect(malformed.body.message).toContain('ownerUserId');
    const disabled = await t.user('engineer', 'departed-engineer');
    await t.http().patch(`/api/v1/users/${disabled.id}`).set(admin()).send({ disabled: true }).expect(200);
    await t
      .http()
      .patch(`/api/v1/systems/${systemId}/controls/${other}`)
      .set(specialist())
      .send({ ownerUserId: disabled.id })
      .expect(400);
    expect((await controls()).find((c) => c.controlCode === other)!.ownerUserId).toBeNull();
  });

  it('refuses a test by the control owner (four-eyes)', async () => {
    const res = await t.http().post(testsOf(tested)).set(specialist()).send(body()).expect(403);
    expect(res.body.message).toContain('four-eyes');
    const list = await t.http().get(testsOf(tested)).set(specialist()).expect(200);
    expect(list.body.total).toBe(0);
  });

  it('records a test by another tester, with linked evidence, and lists it', async () => {
    const created = await t
      .http()
      .post(testsOf(tested))
      .set(admin())
      .send(body({ evidenceIds: [evidenceOfTested] }))
      .expect(201);
    expect(created.body).toMatchObject({
      systemId,
      controlCode: tested,
      result: 'pass',
      populationSize: 12,
      sampleSize: 4,
      evidenceIds: [evidenceOfTested],
      tester: { id: t.users.admin.id, email: t.users.admin.email },
    });
    await t
      .http()
      .post(testsOf(tested))
      .set(admin())
      .send(body({ result: 'exception', populationSize: undefined, sampleSize: undefined, notes: 'One late review.' }))
      .expect(201);
    const list = await t.http().get(testsOf(tested)).set(bearer(t.users.engineer)).expect(200);
    expect(list.body).toMatchObject({ systemId, controlCode: tested, total: 2 });
    expect(list.body.items.map((i: { result: string }) => i.result).sort()).toEqual(['exception', 'pass']);
    const implementationId = (await controls()).find((c) => c.controlCode === tested)!.id;
    const log = await t
      .http()
      .get(`/api/v1/audit-log?entityType=control_implementation&entityId=${implementationId}`)
      .set(specialist())
      .expect(200);
    expect(JSON.stringify(log.body)).toContain('control.test');
    expect(JSON.stringify(log.body)).toContain(created.body.id);
  });

  it('refuses bad input with 400 naming the field, storing nothing', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [body({ result: 'maybe' }), 'result'],
      [body({ procedure: undefined }), 'procedure'],
      [body({ testedAt: 'yesterday' }), 'testedAt'],
      [body({ testedAt: new Date(Date.now() + 86400000 * 2).toISOString() }), 'testedAt'],
      [body({ sampleSize: 20, populationSize: 10 }), 'sampleSize'],
      [body({ sampleSize: 0 }), 'sampleSize'],
      [body({ evidenceIds: [evidenceOfOther] }), 'evidenceIds'],
      [body({ evidenceIds: [evidenceOfOtherSystem] }), 'evidenceIds'],
      [body({ evidenceIds: ['00000000-0000-4000-8000-000000000000'] }), 'evidenceIds'],
      [body({ evidenceIds: ['nope'] }), 'evidenceIds'],
    ];
    for (const [payload, field] of cases) {
      const res = await t.http().post(testsOf(tested)).set(admin()).send(payload);
      expect([res.status, field]).toEqual([400, field]);
      expect(res.body.message).toContain(field);
    }
    expect((await t.http().get(testsOf(tested)).set(specialist()).expect(200)).body.total).toBe(2);
  });

  it('refuses a test of a control that does not apply to the system (400) or is unknown (404)', async () => {
    await t
      .http()
      .patch(`/api/v1/systems/${systemId}/controls/${excluded}`)
      .set(specialist())
      .send({ status: 'not_applicable', justification: 'The system keeps no data of this kind at all.' })
      .expect(200);
    const na = await t.http().post(testsOf(excluded)).set(admin()).send(body()).expect(400);
    expect(na.body.message).toContain('not applicable');

    const mine = new Set((await controls()).map((c) => c.controlCode));
    const catalog = (await t.http().get('/api/v1/controls').set(specialist()).expect(200)).body as { code: string }[];
    const unmapped = catalog.find((c) => !mine.has(c.code));
    expect(unmapped).toBeDefined();
    const res = await t.http().post(testsOf(unmapped!.code)).set(admin()).send(body()).expect(400);
    expect(res.body.message).toContain('does not apply');

    await t.http().post(testsOf('NO-SUCH-1')).set(admin()).send(body()).expect(404);
    expect((await t.http().get(testsOf(excluded)).set(specialist()).expect(200)).body.total).toBe(0);
  });

  it('follows permissions: engineers and auditors read, only tests:write records; scoping hides other systems', async () => {
    await t.http().post(testsOf(other)).set(bearer(t.users.engineer)).send(body()).expect(403);
    await t.http().post(testsOf(other)).set(bearer(t.users.auditor)).send(body()).expect(403);
    // The auditor has no audit, so no system is visible to them: 404 like a missing system.
    await t.http().get(testsOf(tested)).set(bearer(t.users.auditor)).expect(404);
  });

  it('keeps status history: coverage as of an earlier instant shows the status as it was then', async () => {
    await t
      .http()
      .patch(`/api/v1/systems/${systemId}/controls/${other}`)
      .set(specialist())
      .send({ status: 'in_progress' })
      .expect(200);
    const between = new Date().toISOString();
    // The next change must carry a later timestamp than `between` (ISO strings of millisecond resolution).
    while (new Date().toISOString() <= between) await new Promise((resolve) => setImmediate(resolve));
    await t
      .http()
      .patch(`/api/v1/systems/${systemId}/controls/${other}`)
      .set(specialist())
      .send({ status: 'implemented' })
      .expect(200);

    const system = (await t.app.get(AiSystemsRepository).findById(systemId))!;
    const coverage = t.app.get(CoverageService);
    const statusOf = (frameworks: Awaited<ReturnType<CoverageService['forSystem']>>) =>
      frameworks.flatMap((f) => f.requirements.flatMap((r) => r.controls)).find((c) => c.code === other)?.status;
    expect(statusOf(await coverage.forSystem(system))).toBe('implemented');
    expect(statusOf(await coverage.forSystem(system, between))).toBe('in_progress');
    const asOf = await coverage.inputsAsOf([system], between);
    expect(asOf.get(systemId)!.implementations.find((i) => i.controlCode === other)!.status).toBe('in_progress');
    // Before the system existed none of its controls had a status.
    expect((await coverage.inputsAsOf([system], '2020-01-01T00:00:00.000Z')).get(systemId)!.implementations).toEqual(
      [],
    );
  });
});
