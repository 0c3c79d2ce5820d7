import { Response } from 'supertest';
import { holdWrites } from '../factories/hold-writes';
import { minimalSystem } from '../factories/systems';
import { bearer, startTestApp, TestApp, TestUser } from '../factories/test-app';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

/**
 * Two requests that change the same status at once, both decided on the same state: exactly one wins and the other
 * gets 409 (STYLE rule 14), on both databases. holdWrites makes the overlap certain instead of likely.
 */
describe('concurrent status changes (e2e)', () => {
  let t: TestApp;
  let systemId: string;
  let reviewers: TestUser[];
  let controlCodes: string[];

  beforeAll(async () => {
    t = await startTestApp();
    systemId = (
      await t
        .http()
        .post('/api/v1/systems')
        .set(bearer(t.users.governance_specialist))
        .send(minimalSystem())
        .expect(201)
    ).body.id;
    reviewers = [t.users.governance_specialist, await t.user('governance_specialist', 'second-reviewer')];
    const controls = await t
      .http()
      .get(`/api/v1/systems/${systemId}/controls`)
      .set(bearer(t.users.governance_specialist))
      .expect(200);
    controlCodes = (controls.body as { controlCode: string; status: string }[])
      .filter((c) => c.status === 'not_started')
      .map((c) => c.controlCode);
    expect(controlCodes.length).toBeGreaterThan(3);
  });
  afterAll(async () => t?.close());

  const param = (n: number) => (t.database.kind === 'postgres' ? `$${n}` : '?');
  const auditActions = async (entityId: string) =>
    (
      await t.dataSource.query<{ action: string }[]>(
        `SELECT "action" FROM "audit_log" WHERE "entityId" = ${param(1)} ORDER BY "seq"`,
        [entityId],
      )
    ).map((r) => r.action);

  function upload(fields: { supersedesId?: string } = {}) {
    const req = t.http().post(`/api/v1/systems/${systemId}/evidence`).set(bearer(t.users.engineer));
    req
      .field('controlCodes[]', controlCodes[0])
      .field('title', 'Access review')
      .field('kind', 'document')
      .field('collectedAt', new Date(Date.now() - 60000).toISOString());
    if (fields.supersedesId) req.field('supersedesId', fields.supersedesId);
    return req.attach('file', PDF, { filename: 'report.pdf', contentType: 'application/pdf' });
  }

  /**
   * Starts the requests while writes are held, waits until all queue behind the hold, then lets them go. `inOrder`
   * queues them one after the other, so they write in that order (both databases grant waiting writers in turn).
   */
  async function race(
    table: string,
    id: string,
    requests: (() => PromiseLike<Response>)[],
    inOrder = false,
  ): Promise<Response[]> {
    const hold = await holdWrites(t, table, id);
    const responses: Promise<Response>[] = [];
    try {
      for (const send of requests) {
        responses.push(Promise.resolve(send()));
        if (inOrder) await hold.waitForWriters(responses.length);
      }
      await hold.waitForWriters(requests.length);
    } finally {
      await hold.release();
    }
    return Promise.all(responses);
  }

  it.each([
    ['accept', 'accept', ['accepted', 'accepted']],
    ['accept', 'reject', ['accepted', 'rejected']],
  ])(
    'lets one of two concurrent reviews (%s, %s) of the same evidence win; the other gets 409',
    async (_a, _b, decisions) => {
      const evidenceId = (await upload().expect(201)).body.id as string;
      const responses = await race(
        'evidence',
        evidenceId,
        decisions.map(
          (decision, i) => () =>
            t
              .http()
              .post(`/api/v1/evidence/${evidenceId}/review`)
              .set(bearer(reviewers[i]))
              .send({ decision, comment: 'checked' }),
        ),
      );
      expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
      const winner = responses.findIndex((r) => r.status === 200);
      expect(responses[1 - winner].body.message).toMatch(/changed meanwhile/);
      const stored = await t
        .http()
        .get(`/api/v1/evidence/${evidenceId}`)
        .set(bearer(t.users.governance_specialist))
        .expect(200);
      expect(stored.body).toMatchObject({ reviewStatus: decisions[winner], reviewedBy: reviewers[winner].id });
      expect((await auditActions(evidenceId)).filter((a) => a !== 'evidence.upload')).toHaveLength(1);
    },
  );

  it('lets one of two uploads superseding the same evidence win; the other gets 409 and stores no row', async () => {
    const originalId = (await upload().expect(201)).body.id as string;
    const before = await t
      .http()
      .get(`/api/v1/systems/${systemId}/evidence`)
      .set(bearer(t.users.governance_specialist))
      .expect(200);
    const responses = await race('evidence', originalId, [
      () => upload({ supersedesId: originalId }),
      () => upload({ supersedesId: originalId }),
    ]);
    expect(responses.map((r) => r.status).sort()).toEqual([201, 409]);
    const winner = responses.find((r) => r.status === 201)!;
    const original = await t
      .http()
      .get(`/api/v1/evidence/${originalId}`)
      .set(bearer(t.users.governance_specialist))
      .expect(200);
    expect(original.body.supersededById).toBe(winner.body.id);
    const after = await t
      .http()
      .get(`/api/v1/systems/${systemId}/evidence`)
      .set(bearer(t.users.governance_specialist))
      .expect(200);
    expect(after.body.length).toBe(before.body.length + 1);
  });

  it('lets one of two concurrent control transitions from the same status win; the other gets 409', async () => {
    const code = controlCodes[1];
    const url = `/api/v1/systems/${systemId}/controls/${code}`;
    const targets = ['in_progress', 'implemented'];
    const [implementation] = await t.dataSource.query<{ id: string }[]>(
      `SELECT "id" FROM "control_implementations" WHERE "systemId" = ${param(1)} AND "controlCode" = ${param(2)}`,
      [systemId, code],
    );
    const responses = await race(
      'control_implementations',
      implementation.id,
      targets.map((status, i) => () => t.http().patch(url).set(bearer(reviewers[i])).send({ status })),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = responses.findIndex((r) => r.status === 200);
    const controls = await t
      .http()
      .get(`/api/v1/systems/${systemId}/controls`)
      .set(bearer(t.users.governance_specialist))
      .expect(200);
    expect(
      (controls.body as { controlCode: string; status: string }[]).find((c) => c.controlCode === code)?.status,
    ).toBe(targets[winner]);
    expect(await auditActions(implementation.id)).toEqual(['control.transition']);
  });

  it('refuses a control edit decided on a status that changed meanwhile', async () => {
    const code = controlCodes[2];
    const url = `/api/v1/systems/${systemId}/controls/${code}`;
    const [implementation] = await t.dataSource.query<{ id: string }[]>(
      `SELECT "id" FROM "control_implementations" WHERE "systemId" = ${param(1)} AND "controlCode" = ${param(2)}`,
      [systemId, code],
    );
    // The status change writes first; the edit was validated against the status before it, so it must not land.
    const [transition, edit] = await race(
      'control_implementations',
      implementation.id,
      [
        () =>
          t
            .http()
            .patch(url)
            .set(bearer(reviewers[0]))
            .send({ status: 'not_applicable', justification: 'Handled by the parent platform team' }),
        () =>
          t.http().patch(url).set(bearer(reviewers[1])).send({ statement: 'Reviewed quarterly by the platform team' }),
      ],
      true,
    );
    expect([transition.status, edit.status]).toEqual([200, 409]);
    expect(await auditActions(implementation.id)).toEqual(['control.transition']);
  });

  it('lets one of two concurrent task transitions win; the other gets 409', async () => {
    const task = await t
      .http()
      .post('/api/v1/tasks')
      .set(bearer(t.users.governance_specialist))
      .send({ systemId, kind: 'remediation', title: 'Rotate keys', assigneeRole: 'engineer' })
      .expect(201);
    const engineers = [t.users.engineer, await t.user('engineer', 'second-engineer')];
    const responses = await race(
      'tasks',
      task.body.id,
      engineers.map(
        (engineer) => () =>
          t.http().post(`/api/v1/tasks/${task.body.id}/transitions`).set(bearer(engineer)).send({ to: 'in_progress' }),
      ),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = responses.findIndex((r) => r.status === 200);
    const stored = await t
      .http()
      .get(`/api/v1/tasks/${task.body.id}`)
      .set(bearer(t.users.governance_specialist))
      .expect(200);
    expect(stored.body).toMatchObject({ status: 'in_progress', assigneeUserId: engineers[winner].id });
  });
});
