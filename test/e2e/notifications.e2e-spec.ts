import { ObligationDueSweep } from '../../src/incidents/obligation-due.sweep';
import { TaskSweepService } from '../../src/tasks/task-sweep.service';
import { openBrowserSession } from '../factories/browser-session';
import { checkPageAtBothWidths } from '../factories/page-checks';
import { minimalSystem } from '../factories/systems';
import { bearer, startTestApp, TestApp, TestUser } from '../factories/test-app';
import { waitFor } from '../factories/wait-for';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const HOUR = 3_600_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

interface Notification {
  id: string;
  type: string;
  text: string;
  link: string;
  readAt: string | null;
}

describe('notifications (e2e)', () => {
  let t: TestApp;
  let systemId: string;
  let controlCode: string;
  beforeAll(async () => {
    t = await startTestApp({ listen: true });
    systemId = (
      await t
        .http()
        .post('/api/v1/systems')
        .set(bearer(t.users.governance_specialist))
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
    const controls = await t
      .http()
      .get(`/api/v1/systems/${systemId}/controls`)
      .set(bearer(t.users.governance_specialist))
      .expect(200);
    const items = (Array.isArray(controls.body) ? controls.body : controls.body.items) as {
      code?: string;
      controlCode?: string;
    }[];
    controlCode = (items[0].code ?? items[0].controlCode)!;
  });
  afterAll(async () => t?.close());

  const specialist = () => bearer(t.users.governance_specialist);
  const engineer = () => bearer(t.users.engineer);
  const inbox = async (user: TestUser) =>
    (await t.http().get('/api/v1/notifications').set(bearer(user)).expect(200)).body as {
      items: Notification[];
      unread: number;
    };
  const ofType = async (user: TestUser, type: string) => (await inbox(user)).items.filter((n) => n.type === type);
  const upload = async (title: string, validUntil?: string) => {
    const req = t
      .http()
      .post(`/api/v1/systems/${systemId}/evidence`)
      .set(engineer())
      .field('controlCodes[]', controlCode)
      .field('title', title)
      .field('kind', 'document')
      .field('collectedAt', ago(60_000));
    if (validUntil) req.field('validUntil', validUntil);
    return (await req.attach('file', PDF, { filename: 'report.pdf', contentType: 'application/pdf' }).expect(201)).body
      .id as string;
  };

  let taskId: string;

  it('tells the assignee of a task (by title, with a link), and nobody else', async () => {
    taskId = (
      await t
        .http()
        .post('/api/v1/tasks')
        .set(specialist())
        .send({
          systemId,
          kind: 'review',
          title: 'Check the chatbot transcript retention',
          assigneeRole: 'engineer',
          assigneeUserId: t.users.engineer.id,
        })
        .expect(201)
    ).body.id;
    const mine = await ofType(t.users.engineer, 'task.assigned');
    expect(mine).toEqual([
      expect.objectContaining({
        text: 'Task assigned to you: Check the chatbot transcript retention',
        link: `/tasks/${taskId}`,
        readAt: null,
      }),
    ]);
    expect(await ofType(t.users.governance_specialist, 'task.assigned')).toEqual([]);
    expect(await ofType(t.users.auditor, 'task.assigned')).toEqual([]);
  });

  it('tells the verifiers (tasks:verify) when work is ready for review, not the one who submitted it', async () => {
    for (const to of ['in_progress', 'ready_for_review'])
      await t.http().post(`/api/v1/tasks/${taskId}/transitions`).set(engineer()).send({ to }).expect(200);
    for (const verifier of [t.users.governance_specialist, t.users.admin])
      expect((await ofType(verifier, 'task.ready_for_review')).map((n) => n.text)).toEqual([
        'Ready for your review: Check the chatbot transcript retention',
      ]);
    expect(await ofType(t.users.engineer, 'task.ready_for_review')).toEqual([]);
  });

  it('tells the uploader when their evidence is rejected, with the reason', async () => {
    const id = await upload('Retention policy scan');
    await t
      .http()
      .post(`/api/v1/evidence/${id}/review`)
      .set(specialist())
      .send({ decision: 'rejected', comment: 'The scan is cut off at page 2' })
      .expect(200);
    expect((await ofType(t.users.engineer, 'evidence.rejected')).map((n) => [n.text, n.link])).toEqual([
      ['Evidence rejected: Retention policy scan (The scan is cut off at page 2)', `/systems/${systemId}`],
    ]);
  });

  it('tells the uploader and the owner of its control of accepted evidence that expires soon, once, when the sweep opens its refresh task', async () => {
    const validUntil = new Date(Date.now() + 10 * 24 * HOUR).toISOString();
    const id = await upload('DPIA for the chatbot', validUntil);
    await t.http().post(`/api/v1/evidence/${id}/review`).set(specialist()).send({ decision: 'accepted' }).expect(200);
    await t
      .http()
      .patch(`/api/v1/systems/${systemId}/controls/${controlCode}`)
      .set(specialist())
      .send({ ownerUserId: t.users.governance_specialist.id })
      .expect(200);
    await t.app.get(TaskSweepService).run();
    await t.app.get(TaskSweepService).run();
    for (const told of [t.users.engineer, t.users.governance_specialist])
      expect((await ofType(told, 'evidence.expiring')).map((n) => n.text)).toEqual([
        `Evidence expiring on ${validUntil.slice(0, 10)}: DPIA for the chatbot`,
      ]);
  });

  it('tells incident handlers of a new incident and, once, of an obligation coming due without a notification', async () => {
    const incident = await t
      .http()
      .post('/api/v1/incidents')
      .set(specialist())
      .send({
        systemIds: [systemId],
        title: 'Chatbot leaked order numbers',
        detectedAt: ago(61 * HOUR),
        becameAwareAt: ago(60 * HOUR),
        reporter: 'SOC on-call',
        severity: 'high',
        categories: ['personal_data_breach'],
        gdprRisk: 'risk',
      })
      .expect(201);
    expect((await ofType(t.users.admin, 'incident.opened')).map((n) => [n.text, n.link])).toEqual([
      ['Incident opened: Chatbot leaked order numbers', `/incidents/${incident.body.id}`],
    ]);
    expect(await ofType(t.users.governance_specialist, 'incident.opened')).toEqual([]);
    // GDPR Art. 33(1): 72 hours from awareness, so 12 hours left: within the 24-hour horizon.
    const sweep = t.app.get(ObligationDueSweep);
    expect(await sweep.run()).toBeGreaterThanOrEqual(1);
    expect(await sweep.run()).toBe(0);
    const due = await ofType(t.users.governance_specialist, 'obligation.due');
    expect(due.length).toBeGreaterThanOrEqual(1);
    expect(due.some((n) => n.text.includes('Chatbot leaked order numbers'))).toBe(true);
    expect(due.every((n) => n.link === `/incidents/${incident.body.id}`)).toBe(true);
  });

  it('tells the requester when their pack is ready', async () => {
    const created = await t.http().post('/api/v1/packs').set(specialist()).send({ systemId }).expect(202);
    await waitFor(
      async () => {
        const res = await t.http().get(`/api/v1/packs/${created.body.id}`).set(specialist()).expect(200);
        if (res.body.status === 'failed') throw new Error(`pack failed: ${res.body.error}`);
        return res.body.status === 'ready';
      },
      { timeoutMs: 60000, what: 'the pack' },
    );
    // On SQLite every read shares the one connection, so a read can see the worker's finishing transaction before it
    // commits (status ready, notification not inserted yet): wait for the notification itself.
    const ready = await waitFor(
      async () => {
        const found = await ofType(t.users.governance_specialist, 'pack.ready');
        return found.length > 0 && found;
      },
      { what: 'the pack.ready notification' },
    );
    expect(ready).toEqual([expect.objectContaining({ link: `/packs/${created.body.id}` })]);
    expect(ready[0].text).toContain('Support chatbot');
    expect(await ofType(t.users.engineer, 'pack.ready')).toEqual([]);
  }, 90000);

  it('marks one read (only its owner can), then all', async () => {
    const before = await inbox(t.users.governance_specialist);
    expect(before.unread).toBeGreaterThanOrEqual(3);
    const first = before.items[0];
    await t.http().post(`/api/v1/notifications/${first.id}/read`).set(bearer(t.users.admin)).expect(404);
    await t.http().post(`/api/v1/notifications/${first.id}/read`).set(specialist()).expect(200);
    expect((await inbox(t.users.governance_specialist)).unread).toBe(before.unread - 1);
    const all = await t.http().post('/api/v1/notifications/read-all').set(specialist()).expect(200);
    expect(all.body).toEqual({ marked: before.unread - 1 });
    expect((await inbox(t.users.governance_specialist)).unread).toBe(0);
    expect((await t.http().get('/api/v1/notifications?unread=true').set(specialist()).expect(200)).body.items).toEqual(
      [],
    );
  });

  it('shows the bell with the unread count on every signed-in page and a notifications page to work through', async () => {
    const browser = await openBrowserSession(t);
    try {
      const page = await browser.openPage();
      await browser.signIn(page, t.users.engineer, '/systems');
      const unread = (await inbox(t.users.engineer)).unread;
      expect(unread).toBeGreaterThanOrEqual(3);
      expect(await browser.text(page, '#notification-count')).toBe(String(unread));
      await page.goto(`${browser.base}/tasks`);
      expect(await browser.text(page, '#notification-count')).toBe(String(unread));
      await Promise.all([page.waitForNavigation(), page.click('#nav-notifications')]);
      expect(page.url()).toBe(`${browser.base}/notifications`);
      const texts = await page.$$eval('#notifications li a', (as) => as.map((a) => a.textContent ?? ''));
      expect(texts).toContain('Task assigned to you: Check the chatbot transcript retention');
      expect(texts.join(' ')).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
      await browser.shot(page, 'notifications-unread');
      await Promise.all([page.waitForNavigation(), page.click('#notifications li.unread form button')]);
      expect(page.url()).toBe(`${browser.base}/notifications`);
      expect(await browser.text(page, '#flash')).toContain('Marked as read');
      expect(await browser.text(page, '#notification-count')).toBe(String(unread - 1));
      await Promise.all([page.waitForNavigation(), page.click('#mark-all-read')]);
      expect(await page.$('#notification-count')).toBeNull();
      expect(await browser.text(page, '#unread-summary')).toContain('Nothing unread');
      await browser.shot(page, 'notifications-read');
      // A notification's link leads to the record.
      await Promise.all([page.waitForNavigation(), page.click(`#notifications a[href="/tasks/${taskId}"]`)]);
      expect(await page.title()).toContain('Check the chatbot transcript retention');
      // axe-core at 1366 and 390 px, and no sideways scroll at 390 px (WCAG 1.4.10).
      expect(
        await checkPageAtBothWidths(
          page,
          `${browser.base}/notifications`,
          (p, n) => browser.shot(p, n),
          'notifications',
        ),
      ).toEqual([]);
      browser.assertClean();
    } finally {
      await browser.close();
    }
  }, 60000);
});
