import { TaskSweepService } from '../../src/tasks/task-sweep.service';
import { allFrameworksSystem } from '../factories/systems';
import { bearer, startTestApp, TestApp } from '../factories/test-app';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

interface TaskBody {
  id: string;
  kind: string;
  status: string;
  controlCode: string | null;
  assigneeRole: string;
  assigneeUserId: string | null;
  priority: string;
  overdue: boolean;
}

describe('governance tasks (e2e)', () => {
  let t: TestApp;
  let systemId: string;
  let remediation: TaskBody[];
  beforeAll(async () => {
    t = await startTestApp();
    systemId = (await t.http().post('/api/v1/systems').set(specialist()).send(allFrameworksSystem()).expect(201)).body
      .id;
  });
  afterAll(async () => t?.close());

  const specialist = () => bearer(t.users.governance_specialist);
  const engineer = () => bearer(t.users.engineer);
  const admin = () => bearer(t.users.admin);
  const sweep = () => t.app.get(TaskSweepService).run();
  const move = (id: string, who: Record<string, string>, body: Record<string, unknown>) =>
    t.http().post(`/api/v1/tasks/${id}/transitions`).set(who).send(body);

  async function uploadEvidence(
    controlCode: string,
    fields: { validUntil?: string; system?: string } = {},
  ): Promise<string> {
    const req = t
      .http()
      .post(`/api/v1/systems/${fields.system ?? systemId}/evidence`)
      .set(engineer());
    req
      .field('controlCodes[]', controlCode)
      .field('title', `Evidence for ${controlCode}`)
      .field('kind', 'document')
      .field('collectedAt', new Date(Date.now() - 60000).toISOString());
    if (fields.validUntil) req.field('validUntil', fields.validUntil);
    return (await req.attach('file', PDF, { filename: 'report.pdf', contentType: 'application/pdf' }).expect(201)).body
      .id;
  }

  it('opens one remediation task per unimplemented gap control, idempotently', async () => {
    const first = await sweep();
    expect(first.remediation).toBeGreaterThan(10);
    expect(first.evidenceRequests).toBe(0);
    const list = await t
      .http()
      .get(`/api/v1/tasks?systemId=${systemId}&kind=remediation&limit=500`)
      .set(specialist())
      .expect(200);
    // Threat-model gaps are remediation tasks too, without a control (test/e2e/threats.e2e-spec.ts).
    remediation = list.body.items.filter((r: TaskBody) => r.controlCode !== null);
    expect(list.body.total).toBe(first.remediation + first.threatGaps);
    expect(remediation).toHaveLength(first.remediation);
    expect(new Set(remediation.map((r) => r.controlCode)).size).toBe(remediation.length);
    for (const task of remediation)
      expect(task).toMatchObject({ status: 'open', priority: 'high', assigneeUserId: null, overdue: false });
    expect(remediation.some((r) => r.assigneeRole === 'engineer')).toBe(true);
    expect(remediation.some((r) => r.assigneeRole === 'governance_specialist')).toBe(true);
    expect(await sweep()).toMatchObject({ created: 0 });
  });

  it('takes an assigned remediation task from engineer work to specialist verification', async () => {
    const task = remediation.find((r) => r.assigneeRole === 'engineer')!;
    await t
      .http()
      .patch(`/api/v1/tasks/${task.id}`)
      .set(specialist())
      .send({ assigneeUserId: t.users.auditor.id })
      .expect(400);
    await t
      .http()
      .patch(`/api/v1/tasks/${task.id}`)
      .set(engineer())
      .send({ assigneeUserId: t.users.engineer.id })
      .expect(403);
    await t
      .http()
      .patch(`/api/v1/tasks/${task.id}`)
      .set(specialist())
      .send({ assigneeUserId: t.users.engineer.id })
      .expect(200);

    const mine = await t.http().get('/api/v1/tasks?assignee=me').set(engineer()).expect(200);
    expect(mine.body.items.map((i: TaskBody) => i.id)).toEqual([task.id]);
    const specialistTask = remediation.find((r) => r.assigneeRole === 'governance_specialist')!;
    await t.http().get(`/api/v1/tasks/${specialistTask.id}`).set(engineer()).expect(404);
    await move(specialistTask.id, engineer(), { to: 'in_progress' }).expect(404);

    await move(task.id, engineer(), { to: 'in_progress' }).expect(200);
    // The task says which moves the caller may make now, and what each needs (the pages offer exactly these).
    const started = await t.http().get(`/api/v1/tasks/${task.id}`).set(engineer()).expect(200);
    expect(started.body.allowedMoves).toEqual([
      {
        to: 'ready_for_review',
        allowed: true,
        refusal: null,
        takesEvidence: true,
        needsEvidence: true,
        needsComment: false,
      },
    ]);
    const noEvidence = await move(task.id, engineer(), { to: 'ready_for_review' }).expect(400);
    expect(noEvidence.body.message).toMatch(/evidence/i);
    const otherControl = remediation.find((r) => r.controlCode !== task.controlCode)!.controlCode!;
    const unrelated = await uploadEvidence(otherControl);
    await move(task.id, engineer(), { to: 'ready_for_review', evidenceIds: [unrelated] }).expect(400);
    const evidenceId = await uploadEvidence(task.controlCode!);
    await move(task.id, engineer(), {
      to: 'ready_for_review',
      evidenceIds: [evidenceId],
      comment: 'Implemented and documented',
    }).expect(200);

    const waiting = await t.http().get(`/api/v1/tasks/${task.id}`).set(engineer()).expect(200);
    expect(waiting.body.allowedMoves).toEqual([
      expect.objectContaining({ to: 'done', allowed: false, refusal: expect.stringMatching(/tasks:verify/) }),
      expect.objectContaining({ to: 'reopened', allowed: false, refusal: expect.stringMatching(/tasks:verify/) }),
    ]);
    expect((await move(task.id, engineer(), { to: 'done' })).status).toBe(403);
    const toVerify = await t.http().get(`/api/v1/tasks/${task.id}`).set(specialist()).expect(200);
    expect(toVerify.body.allowedMoves).toEqual([
      expect.objectContaining({ to: 'done', allowed: false, refusal: expect.stringMatching(/has not been accepted/) }),
      expect.objectContaining({ to: 'reopened', allowed: true, refusal: null, needsComment: true }),
    ]);
    const unaccepted = await move(task.id, specialist(), { to: 'done' }).expect(409);
    expect(unaccepted.body.message).toBe(toVerify.body.allowedMoves[0].refusal);
    await t
      .http()
      .post(`/api/v1/evidence/${evidenceId}/review`)
      .set(specialist())
      .send({ decision: 'accepted' })
      .expect(200);
    const accepted = await t.http().get(`/api/v1/tasks/${task.id}`).set(specialist()).expect(200);
    expect(accepted.body.allowedMoves[0]).toMatchObject({ to: 'done', allowed: true, refusal: null });
    await move(task.id, specialist(), { to: 'done', comment: 'Verified' }).expect(200);

    const done = await t.http().get(`/api/v1/tasks/${task.id}`).set(specialist()).expect(200);
    expect(done.body.status).toBe('done');
    expect(done.body.allowedTransitions).toEqual([]);
    expect(done.body.events.map((e: { from: string; to: string }) => `${e.from}>${e.to}`)).toEqual([
      'open>in_progress',
      'in_progress>ready_for_review',
      'ready_for_review>done',
    ]);
    expect(done.body.events[1]).toMatchObject({ actorId: t.users.engineer.id, evidenceIds: [evidenceId] });
    const log = await t
      .http()
      .get(`/api/v1/audit-log?entityType=task&entityId=${task.id}`)
      .set(specialist())
      .expect(200);
    expect(JSON.stringify(log.body)).toContain('task.transition');

    // The gap stays closed once the control is implemented: the next sweep opens nothing for it.
    await t
      .http()
      .patch(`/api/v1/systems/${systemId}/controls/${task.controlCode}`)
      .set(specialist())
      .send({ status: 'implemented' })
      .expect(200);
    expect(await sweep()).toMatchObject({ created: 0 });
  });

  it('reopens with a comment, and names the allowed moves on a forbidden one', async () => {
    const task = remediation.filter((r) => r.assigneeRole === 'engineer')[1];
    // An unassigned task of the engineer's role is visible to them and taken by starting it.
    const visible = await t.http().get('/api/v1/tasks?status=open&limit=500').set(engineer()).expect(200);
    expect(visible.body.items.map((i: TaskBody) => i.id)).toContain(task.id);
    expect(visible.body.items.every((i: TaskBody) => i.assigneeRole === 'engineer')).toBe(true);
    const taken = await move(task.id, engineer(), { to: 'in_progress' }).expect(200);
    expect(taken.body.assigneeUserId).toBe(t.users.engineer.id);

    const forbidden = await move(task.id, engineer(), { to: 'done' }).expect(409);
    expect(forbidden.body.details.allowed).toEqual(['ready_for_review']);
    expect(forbidden.body.message).toContain('ready_for_review');

    const evidenceId = await uploadEvidence(task.controlCode!);
    await move(task.id, engineer(), { to: 'ready_for_review', evidenceIds: [evidenceId] }).expect(200);
    await move(task.id, specialist(), { to: 'reopened' }).expect(400);
    const reopened = await move(task.id, specialist(), {
      to: 'reopened',
      comment: 'The evidence does not show the review sign-off',
    }).expect(200);
    expect(reopened.body.status).toBe('reopened');
    expect(reopened.body.allowedTransitions).toEqual(['in_progress']);
    await move(task.id, engineer(), { to: 'in_progress' }).expect(200);
  });

  it('never lets the user who submitted a task for review close it', async () => {
    const task = remediation.find((r) => r.assigneeRole === 'governance_specialist')!;
    await move(task.id, specialist(), { to: 'in_progress' }).expect(200);
    await move(task.id, specialist(), { to: 'ready_for_review', comment: 'Policy updated' }).expect(200);
    const offered = await t.http().get(`/api/v1/tasks/${task.id}`).set(specialist()).expect(200);
    expect(offered.body.allowedMoves.map((m: { allowed: boolean }) => m.allowed)).toEqual([false, false]);
    expect(offered.body.allowedMoves[0].refusal).toMatch(/someone other/);
    const self = await move(task.id, specialist(), { to: 'done' }).expect(403);
    expect(self.body.message).toMatch(/someone other/);
    await move(task.id, admin(), { to: 'done' }).expect(200);
  });

  it('creates manual tasks with validated fields, and counts open and overdue work', async () => {
    await t
      .http()
      .post('/api/v1/tasks')
      .set(engineer())
      .send({ systemId, kind: 'review', title: 'x', assigneeRole: 'engineer' })
      .expect(403);
    await t
      .http()
      .post('/api/v1/tasks')
      .set(specialist())
      .send({ systemId, kind: 'review', title: 'x', assigneeRole: 'engineer', controlCode: 'AIG-ZZZ-99' })
      .expect(400);
    await t
      .http()
      .post('/api/v1/tasks')
      .set(specialist())
      .send({
        systemId,
        kind: 'review',
        title: 'x',
        assigneeRole: 'engineer',
        assigneeUserId: t.users.governance_specialist.id,
      })
      .expect(400);
    const created = await t
      .http()
      .post('/api/v1/tasks')
      .set(specialist())
      .send({
        systemId,
        kind: 'review',
        title: 'Quarterly model review',
        assigneeRole: 'engineer',
        assigneeUserId: t.users.engineer.id,
        dueDate: '2020-01-01T00:00:00.000Z',
        priority: 'low',
      })
      .expect(201);
    expect(created.body).toMatchObject({ status: 'open', overdue: true, priority: 'low' });

    const all = await t.http().get(`/api/v1/tasks?systemId=${systemId}&limit=500`).set(specialist()).expect(200);
    const counts = all.body.counts;
    expect(Object.values(counts).reduce((a, b) => (a as number) + (b as number), 0)).toBe(all.body.total);
    expect(counts.done).toBe(2);
    expect(counts.in_progress).toBe(1);
    expect(counts.open).toBe(all.body.total - 3);
    expect(all.body.overdue).toBe(1);
    const overdue = await t.http().get('/api/v1/tasks?overdue=true').set(specialist()).expect(200);
    expect(overdue.body.items.map((i: TaskBody) => i.id)).toEqual([created.body.id]);
    const mine = await t.http().get('/api/v1/tasks?assignee=me&status=open').set(engineer()).expect(200);
    expect(mine.body.items.map((i: TaskBody) => i.id)).toEqual([created.body.id]);
    expect(mine.body).toMatchObject({ overdue: 1, counts: { open: 1, in_progress: 1, done: 1 } });
  });

  it('requests fresh evidence once for accepted evidence that expires soon', async () => {
    const code = remediation[remediation.length - 1].controlCode!;
    const evidenceId = await uploadEvidence(code, { validUntil: new Date(Date.now() + 10 * 86400000).toISOString() });
    await t
      .http()
      .post(`/api/v1/evidence/${evidenceId}/review`)
      .set(specialist())
      .send({ decision: 'accepted' })
      .expect(200);
    // The control whose task the admin closed without implementing it is still a gap: it gets a fresh task.
    expect(await sweep()).toMatchObject({ evidenceRequests: 1, remediation: 1 });
    expect(await sweep()).toMatchObject({ created: 0 });
    const requests = await t.http().get('/api/v1/tasks?kind=evidence_request').set(engineer()).expect(200);
    expect(requests.body.items).toEqual([
      expect.objectContaining({ controlCode: code, assigneeRole: 'engineer', status: 'open' }),
    ]);
  });
});
