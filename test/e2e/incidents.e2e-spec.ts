import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { holdWrites } from '../factories/hold-writes';
import { minimalSystem } from '../factories/systems';
import { bearer, startTestApp, TestApp } from '../factories/test-app';

const HOUR = 3_600_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
// supertest buffers binary bodies only for types it knows; this keeps a PDF byte for byte.
const binary = (res: unknown, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  const stream = res as NodeJS.ReadableStream;
  stream.on('data', (chunk: Buffer) => chunks.push(Buffer.from(chunk)));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
};

interface Obligation {
  id: string;
  key: string;
  required: boolean;
  state: string;
  dueAt: string | null;
  met: string | null;
}

describe('incident register (e2e)', () => {
  let t: TestApp;
  let specialist: { Authorization: string };
  let hipaaSystem: string;
  let gdprSystem: string;

  beforeAll(async () => {
    t = await startTestApp();
    specialist = bearer(t.users.governance_specialist);
    hipaaSystem = (
      await t
        .http()
        .post('/api/v1/systems')
        .set(specialist)
        .send(minimalSystem({ name: 'Claims triage', phi: true, hipaaRole: 'covered_entity' }))
        .expect(201)
    ).body.id;
    gdprSystem = (
      await t
        .http()
        .post('/api/v1/systems')
        .set(specialist)
        .send(
          minimalSystem({
            name: 'Support chatbot',
            personalData: true,
            gdprEstablishment: true,
            gdprRole: 'controller',
          }),
        )
        .expect(201)
    ).body.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  const incident = (overrides: Record<string, unknown> = {}) => ({
    systemIds: [gdprSystem],
    title: 'Prompt injection leaked customer e-mails',
    description: 'The chatbot echoed other customers\u2019 e-mail addresses.',
    detectedAt: ago(3 * HOUR),
    becameAwareAt: ago(2 * HOUR),
    reporter: 'SOC on-call',
    severity: 'high',
    categories: ['personal_data_breach'],
    gdprRisk: 'risk',
    ...overrides,
  });
  const counts = async () => ({
    incidents: (await t.http().get('/api/v1/incidents').set(specialist).expect(200)).body.total,
    audit: (await t.dataSource.query('SELECT COUNT(*) AS n FROM audit_log'))[0].n,
  });

  it.each([
    [
      'became aware before it was detected',
      { detectedAt: ago(HOUR), becameAwareAt: ago(2 * HOUR) },
      /aware_after_detected/,
    ],
    ['a negative count', { affectedCount: -1 }, /count_not_negative/],
    ['a negative count in a State', { affectedCount: 10, affectedByState: { CA: -3 } }, /count_not_negative/],
    [
      'per-State counts above the total',
      { affectedCount: 10, affectedByState: { CA: 11 } },
      /state_counts_within_total/,
    ],
    ['an unknown State code', { affectedByState: { XX: 3 } }, /known_state_code/],
    ['an unknown category', { categories: ['data_leak'] }, /known_category/],
    [
      'an AI Act serious incident without its kind',
      { categories: ['ai_act_serious_incident'] },
      /ai_act_kind_required/,
    ],
    [
      'a death with another kind',
      { categories: ['ai_act_serious_incident'], aiActKind: 'widespread_infringement', aiActDeath: true },
      /death_needs_kind/,
    ],
    ['an ATLAS id in the wrong form', { atlasTechniques: ['T0051'] }, /atlas_technique_id/],
    ['an ATLAS id the loaded catalog does not have', { atlasTechniques: ['AML.T9999'] }, /atlas_technique_known/],
    [
      'awareness in the future',
      { detectedAt: ago(HOUR), becameAwareAt: new Date(Date.now() + HOUR).toISOString() },
      /not_in_future/,
    ],
  ])('refuses %s with a 400 naming the rule and stores nothing', async (_, overrides, rule) => {
    const before = await counts();
    const res = await t.http().post('/api/v1/incidents').set(specialist).send(incident(overrides));
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(rule);
    expect(await counts()).toEqual(before);
  });

  it('accepts ATLAS techniques of the loaded catalog', async () => {
    const res = await t
      .http()
      .post('/api/v1/incidents')
      .set(specialist)
      .send(incident({ atlasTechniques: ['AML.T0051', 'AML.T0051.000'] }))
      .expect(201);
    expect(res.body.atlasTechniques).toEqual(['AML.T0051', 'AML.T0051.000']);
  });

  it('moves only through declared transitions, closes only with a review naming controls and every obligation met, and then never changes', async () => {
    const created = await t.http().post('/api/v1/incidents').set(specialist).send(incident()).expect(201);
    const id = created.body.id;
    expect(created.body.allowedMoves).toEqual(['contained']);
    const before = await counts();
    const skip = await t.http().patch(`/api/v1/incidents/${id}`).set(specialist).send({ status: 'closed' }).expect(409);
    expect(skip.body.message).toMatch(/cannot move from open to closed; allowed from open: contained/);
    expect(await counts()).toEqual(before);

    await t.http().patch(`/api/v1/incidents/${id}`).set(specialist).send({ status: 'contained' }).expect(200);
    const resolved = await t
      .http()
      .patch(`/api/v1/incidents/${id}`)
      .set(specialist)
      .send({ status: 'resolved' })
      .expect(200);
    expect(resolved.body.status).toBe('resolved');
    expect(resolved.body.containedAt).not.toBeNull();

    const noReview = await t
      .http()
      .patch(`/api/v1/incidents/${id}`)
      .set(specialist)
      .send({ status: 'closed' })
      .expect(400);
    expect(noReview.body.message).toMatch(/close_needs_review/);
    const emptyReview = await t
      .http()
      .patch(`/api/v1/incidents/${id}`)
      .set(specialist)
      .send({ status: 'closed', review: { summary: 'Done', controlsChanged: [] } })
      .expect(400);
    expect(emptyReview.body.message).toMatch(/review_names_controls/);
    const unknownControl = await t
      .http()
      .patch(`/api/v1/incidents/${id}`)
      .set(specialist)
      .send({ status: 'closed', review: { summary: 'Done', controlsChanged: ['AIG-XYZ-99'] } })
      .expect(400);
    expect(unknownControl.body.message).toMatch(/review_controls_known/);
    const review = { summary: 'Output filtering added; prompts red-teamed.', controlsChanged: ['AIG-SEC-05'] };
    const open = await t
      .http()
      .patch(`/api/v1/incidents/${id}`)
      .set(specialist)
      .send({ status: 'closed', review })
      .expect(409);
    expect(open.body.message).toMatch(/close_needs_obligations_met[\s\S]*|GDPR Art\. 33\(1\)/);
    expect(open.body.details.open).toEqual(['gdpr-art-33-1-authority']);

    const authority = (created.body.obligations as Obligation[]).find((o) => o.key === 'gdpr-art-33-1-authority')!;
    await t
      .http()
      .post(`/api/v1/incidents/${id}/notifications`)
      .set(specialist)
      .send({
        obligationId: authority.id,
        recipient: 'BfDI',
        sentAt: ago(HOUR),
        channel: 'portal',
        reference: 'BfDI-2026-1',
      })
      .expect(201);
    const closed = await t
      .http()
      .patch(`/api/v1/incidents/${id}`)
      .set(specialist)
      .send({ status: 'closed', review })
      .expect(200);
    expect(closed.body.status).toBe('closed');
    expect(closed.body.review).toMatchObject({ summary: review.summary, controlsChanged: ['AIG-SEC-05'] });
    expect(closed.body.timeline.map((e: { kind: string }) => e.kind)).toEqual([
      'created',
      'status_changed',
      'status_changed',
      'notification',
      'review',
      'status_changed',
    ]);

    const after = await t.http().patch(`/api/v1/incidents/${id}`).set(specialist).send({ severity: 'low' }).expect(409);
    expect(after.body.message).toMatch(/closed_is_final/);
    // Never deleted: there is no such route.
    await t.http().delete(`/api/v1/incidents/${id}`).set(specialist).expect(404);
    await t.http().get(`/api/v1/incidents/${id}`).set(specialist).expect(200);
    const log = await t.dataSource.query(`SELECT action FROM audit_log WHERE "entityId" = '${id}' ORDER BY seq`);
    expect(log.map((r: { action: string }) => r.action)).toEqual([
      'incident.create',
      'incident.transition',
      'incident.transition',
      'incident.notification',
      'incident.transition',
    ]);
    expect((await t.http().get('/api/v1/audit-log/verify').set(specialist).expect(200)).body.valid).toBe(true);
  });

  it('lets one of two concurrent changes decided on the same read win; the other gets 409 and changes nothing', async () => {
    const created = await t.http().post('/api/v1/incidents').set(specialist).send(incident()).expect(201);
    const id = created.body.id;
    const hold = await holdWrites(t, 'incidents', id);
    const responses: Array<Promise<{ status: number; body: { message: string } }>> = [];
    try {
      // Two fact changes, neither moving the status: only the revision tells that the second was decided on a stale read.
      responses.push(
        Promise.resolve(t.http().patch(`/api/v1/incidents/${id}`).set(specialist).send({ affectedCount: 12 })),
      );
      responses.push(
        Promise.resolve(t.http().patch(`/api/v1/incidents/${id}`).set(specialist).send({ gdprRisk: 'high' })),
      );
      await hold.waitForWriters(2);
    } finally {
      await hold.release();
    }
    const settled = await Promise.all(responses);
    expect(settled.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(settled.find((r) => r.status === 409)!.body.message).toMatch(/changed meanwhile/);
    const stored = await t.http().get(`/api/v1/incidents/${id}`).set(specialist).expect(200);
    expect(stored.body.revision).toBe(2);
    const log = await t.dataSource.query(`SELECT action FROM audit_log WHERE "entityId" = '${id}' ORDER BY seq`);
    expect(log).toHaveLength(2);
  });

  it('recomputes the obligations when a fact changes (the count passes 500) and says what changed; tasks follow, once each', async () => {
    const created = await t
      .http()
      .post('/api/v1/incidents')
      .set(specialist)
      .send(
        incident({
          systemIds: [hipaaSystem],
          categories: ['ephi_breach'],
          gdprRisk: undefined,
          affectedCount: 300,
          affectedByState: { TX: 300 },
        }),
      )
      .expect(201);
    const id = created.body.id;
    const required = (list: Obligation[]) =>
      list
        .filter((o) => o.required)
        .map((o) => o.key)
        .sort();
    expect(required(created.body.obligations)).toEqual(['hipaa-164-404-individuals', 'hipaa-164-408-c-yearly-log']);
    const tasksOf = async () =>
      (
        await t.http().get(`/api/v1/tasks?systemId=${hipaaSystem}&kind=notification`).set(specialist).expect(200)
      ).body.items.filter((task: { description: string }) => task.description.includes(id));
    const first = await tasksOf();
    expect(first.map((task: { title: string }) => task.title).sort()).toEqual([
      '45 CFR 164.404(a), (b): Notify each individual whose unsecured PHI was breached',
      '45 CFR 164.408(c): Report the breach to the Secretary of HHS in the yearly log (fewer than 500 individuals)',
    ]);
    expect(
      first.every(
        (task: { assigneeRole: string; dueDate: string | null }) =>
          task.assigneeRole === 'governance_specialist' && task.dueDate !== null,
      ),
    ).toBe(true);

    const changed = await t
      .http()
      .patch(`/api/v1/incidents/${id}`)
      .set(specialist)
      .send({ affectedCount: 640, affectedByState: { TX: 600, OK: 40 } })
      .expect(200);
    expect(required(changed.body.obligations)).toEqual([
      'hipaa-164-404-individuals',
      'hipaa-164-406-media:TX',
      'hipaa-164-408-b-secretary',
    ]);
    const change = (key: string) => changed.body.obligationChanges.find((c: { key: string }) => c.key === key)?.change;
    expect(change('hipaa-164-406-media:TX')).toBe('added');
    expect(change('hipaa-164-408-b-secretary')).toBe('now_required');
    expect(change('hipaa-164-408-c-yearly-log')).toBe('now_not_required');
    expect(change('hipaa-164-404-individuals')).toBeUndefined();
    expect(changed.body.timeline.at(-1).summary).toMatch(
      /Changed affectedCount, affectedByState; .*164\.408\(b\) now required/,
    );

    await t.http().patch(`/api/v1/incidents/${id}`).set(specialist).send({ severity: 'critical' }).expect(200);
    const tasks = await tasksOf();
    // One task per obligation ever open: the yearly-log task stays (it says it is no longer required), none twice.
    expect(tasks).toHaveLength(4);
    expect(new Set(tasks.map((task: { title: string }) => task.title)).size).toBe(4);
    expect(tasks.find((task: { title: string }) => task.title.includes('164.408(c)')).description).toMatch(
      /No longer required/,
    );
    const unchanged = await t
      .http()
      .patch(`/api/v1/incidents/${id}`)
      .set(specialist)
      .send({ severity: 'critical' })
      .expect(400);
    expect(unchanged.body.message).toMatch(/Nothing to change/);
  });

  it("shows what a system's changed role would change, and recomputes on request", async () => {
    const system = await t
      .http()
      .post('/api/v1/systems')
      .set(specialist)
      .send(minimalSystem({ name: 'Role changes', personalData: true, gdprEstablishment: true, gdprRole: 'processor' }))
      .expect(201);
    const created = await t
      .http()
      .post('/api/v1/incidents')
      .set(specialist)
      .send(incident({ systemIds: [system.body.id] }))
      .expect(201);
    const id = created.body.id;
    expect(created.body.pendingObligationChanges).toEqual([]);
    await t
      .http()
      .patch(`/api/v1/systems/${system.body.id}`)
      .set(specialist)
      .send({ gdprRole: 'controller' })
      .expect(200);
    const stale = await t.http().get(`/api/v1/incidents/${id}`).set(specialist).expect(200);
    expect(stale.body.pendingObligationChanges.map((c: { key: string; change: string }) => [c.key, c.change])).toEqual([
      ['gdpr-art-33-1-authority', 'now_required'],
      ['gdpr-art-33-2-controller', 'now_not_required'],
    ]);
    // Stored obligations are unchanged until the incident is written.
    expect((stale.body.obligations as Obligation[]).find((o) => o.key === 'gdpr-art-33-2-controller')!.required).toBe(
      true,
    );
    const recomputed = await t
      .http()
      .patch(`/api/v1/incidents/${id}`)
      .set(specialist)
      .send({ recompute: true })
      .expect(200);
    expect(recomputed.body.obligationChanges.map((c: { key: string }) => c.key)).toEqual([
      'gdpr-art-33-1-authority',
      'gdpr-art-33-2-controller',
    ]);
    expect(recomputed.body.pendingObligationChanges).toEqual([]);
    expect(recomputed.body.timeline.at(-1).summary).toMatch(
      /^Recomputed from the systems' current answers; GDPR Art\. 33\(1\) now required/,
    );
    const again = await t.http().patch(`/api/v1/incidents/${id}`).set(specialist).send({ recompute: true }).expect(400);
    expect(again.body.message).toMatch(/Nothing to recompute/);
  });

  it('records notifications per obligation: done on time, late only with a reason, evidence of the incident\u2019s systems only', async () => {
    const created = await t
      .http()
      .post('/api/v1/incidents')
      .set(specialist)
      .send(incident({ detectedAt: ago(100 * HOUR), becameAwareAt: ago(99 * HOUR) }))
      .expect(201);
    const id = created.body.id;
    const authority = (created.body.obligations as Obligation[]).find((o) => o.key === 'gdpr-art-33-1-authority')!;
    expect(authority.state).toBe('late');
    const notRequired = (created.body.obligations as Obligation[]).find((o) => !o.required)!;
    const send = (body: Record<string, unknown>) =>
      t
        .http()
        .post(`/api/v1/incidents/${id}/notifications`)
        .set(specialist)
        .send({ obligationId: authority.id, recipient: 'CNIL', sentAt: ago(HOUR), channel: 'portal', ...body });

    const before = await counts();
    expect((await send({}).expect(400)).body.message).toMatch(/late_needs_reason/);
    expect(
      (await send({ sentAt: new Date(Date.now() + HOUR).toISOString(), lateReason: 'x' }).expect(400)).body.message,
    ).toMatch(/sent_not_in_future/);
    expect((await send({ obligationId: notRequired.id }).expect(409)).body.message).toMatch(
      /notify_required_obligation/,
    );
    const otherEvidence = await t
      .http()
      .post(`/api/v1/systems/${hipaaSystem}/evidence`)
      .set(specialist)
      .field('controlCodes[]', 'AIG-SEC-05')
      .field('title', 'Unrelated evidence')
      .field('kind', 'test_report')
      .field('collectedAt', ago(HOUR))
      .attach('file', Buffer.from('other system\n'), { filename: 'other.txt', contentType: 'text/plain' })
      .expect(201);
    expect(
      (await send({ lateReason: 'Waited for forensics', evidenceId: otherEvidence.body.id }).expect(400)).body.message,
    ).toMatch(/evidence_of_incident_systems/);
    expect((await t.http().get(`/api/v1/incidents/${id}`).set(specialist).expect(200)).body.notifications).toEqual([]);
    expect((await counts()).incidents).toEqual(before.incidents);

    const late = await send({
      lateReason: 'The breach was confirmed by forensics only on day four',
      reference: 'CNIL-778',
      sender: 'DPO Jane Roe',
    }).expect(201);
    expect(late.body).toMatchObject({
      late: true,
      lateReason: 'The breach was confirmed by forensics only on day four',
      sender: 'DPO Jane Roe',
      reference: 'CNIL-778',
    });
    expect(late.body.obligation).toMatchObject({ state: 'done', met: 'late' });
    const after = await t.http().get(`/api/v1/incidents/${id}`).set(specialist).expect(200);
    expect(after.body.notifications).toHaveLength(1);
    expect((after.body.obligations as Obligation[]).find((o) => o.id === authority.id)).toMatchObject({
      state: 'done',
      met: 'late',
    });
  });

  it('scopes auditors to the incidents of their audits\u2019 systems and keeps writes to incidents:write', async () => {
    const inScope = await t
      .http()
      .post('/api/v1/incidents')
      .set(specialist)
      .send(incident({ title: 'In the audit' }))
      .expect(201);
    const outOfScope = await t
      .http()
      .post('/api/v1/incidents')
      .set(specialist)
      .send(incident({ systemIds: [hipaaSystem], categories: [], title: 'Outside the audit' }))
      .expect(201);
    await t
      .http()
      .post('/api/v1/audits')
      .set(specialist)
      .send({
        name: 'Chatbot audit',
        systemIds: [gdprSystem],
        frameworks: ['gdpr'],
        auditorIds: [t.users.auditor.id],
        periodStart: ago(24 * HOUR),
        periodEnd: new Date(Date.now() + 24 * HOUR).toISOString(),
      })
      .expect(201);
    const auditor = bearer(t.users.auditor);
    const list = await t.http().get('/api/v1/incidents').set(auditor).expect(200);
    const titles = list.body.items.map((i: { title: string }) => i.title);
    expect(titles).toContain('In the audit');
    expect(titles).not.toContain('Outside the audit');
    await t.http().get(`/api/v1/incidents/${inScope.body.id}`).set(auditor).expect(200);
    await t.http().get(`/api/v1/incidents/${outOfScope.body.id}`).set(auditor).expect(404);
    await t.http().get(`/api/v1/incidents/${outOfScope.body.id}/report`).set(auditor).expect(404);
    await t.http().patch(`/api/v1/incidents/${inScope.body.id}`).set(auditor).send({ severity: 'low' }).expect(403);
    await t.http().post('/api/v1/incidents').set(bearer(t.users.engineer)).send(incident()).expect(403);
    await t.http().get('/api/v1/incidents').set(bearer(t.users.engineer)).expect(200);
  });

  it('documents every incident route with its response schema in OpenAPI', async () => {
    const doc = (await t.http().get('/api/docs/openapi.json').expect(200)).body;
    const ref = (route: string, method: string, status: string) =>
      doc.paths[route][method].responses[status].content['application/json'].schema.$ref;
    expect(ref('/api/v1/incidents', 'get', '200')).toMatch(/IncidentListResponseDto$/);
    expect(ref('/api/v1/incidents', 'post', '201')).toMatch(/IncidentChangeResponseDto$/);
    expect(ref('/api/v1/incidents/{id}', 'get', '200')).toMatch(/IncidentResponseDto$/);
    expect(ref('/api/v1/incidents/{id}', 'patch', '200')).toMatch(/IncidentChangeResponseDto$/);
    expect(ref('/api/v1/incidents/{id}/notifications', 'post', '201')).toMatch(/RecordedNotificationResponseDto$/);
    expect(doc.paths['/api/v1/incidents/{id}/report'].get.responses['200'].content['application/pdf']).toBeDefined();
    expect(doc.components.schemas.ObligationResponseDto.properties.legalBasis).toBeDefined();
  });

  it('prints the incident report through the pack renderer: facts, obligations and how each was met, notifications, review; markup in text stays text', async () => {
    const created = await t
      .http()
      .post('/api/v1/incidents')
      .set(specialist)
      .send(incident({ title: 'Leak <iframe src=file:///etc/passwd></iframe>', affectedCount: 42 }))
      .expect(201);
    const id = created.body.id;
    const authority = (created.body.obligations as Obligation[]).find((o) => o.key === 'gdpr-art-33-1-authority')!;
    await t
      .http()
      .post(`/api/v1/incidents/${id}/notifications`)
      .set(specialist)
      .send({
        obligationId: authority.id,
        recipient: 'Datatilsynet',
        sentAt: ago(HOUR),
        channel: 'email',
        reference: 'DT-REF-4711',
      })
      .expect(201);
    const res = await t
      .http()
      .get(`/api/v1/incidents/${id}/report`)
      .set(specialist)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="incident-report-${id}.pdf"`);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'incident-report-')), 'report.pdf');
    fs.writeFileSync(file, res.body as Buffer);
    const text = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-']).toString('utf8');
    expect(text).toContain('Leak <iframe src=file:///etc/passwd></iframe>');
    expect(text).not.toMatch(/root:x:0:0/);
    for (const words of [
      'Incident report',
      'Obligations and how each was met',
      'GDPR Art. 33(1)',
      'Met on time',
      'DT-REF-4711',
      'Datatilsynet',
      'Timeline',
      'Post-incident review',
      'Became aware',
    ]) {
      expect(text).toContain(words);
    }
  }, 60000);
});
