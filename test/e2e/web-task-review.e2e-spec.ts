/// <reference lib="dom" />
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'puppeteer';
import { BrowserSession, openBrowserSession } from '../factories/browser-session';
import { checkPageAtBothWidths } from '../factories/page-checks';
import { allFrameworksSystem } from '../factories/systems';
import { bearer, startTestApp, TestApp } from '../factories/test-app';
import { makeTempDir } from '../factories/test-database';

type Requirement = { ref: string; status: string; controls: { code: string }[] };
type Coverage = { frameworks: { framework: string; name: string; applies: boolean; requirements: Requirement[] }[] };

/**
 * Issue 17 items 6 and 7 in a real Chromium: the reviewer accepts or rejects a task's submitted evidence on the task
 * page, the engineer reads the reason there, and closing the remediation task offers the control's next status and
 * says which requirements changed their coverage (the same changes the coverage API shows).
 */
describe('task page: review of the submission and closing a remediation (e2e)', () => {
  let t: TestApp;
  let browser: BrowserSession;
  let systemId: string;
  let taskId: string;
  const CONTROL = 'AIG-GOV-01';

  const submit = (page: Page, selector: string) =>
    Promise.all([page.waitForNavigation(), page.click(selector)]).then(([response]) => response);

  async function upload(title: string): Promise<string> {
    const res = await t
      .http()
      .post(`/api/v1/systems/${systemId}/evidence`)
      .set(bearer(t.users.engineer))
      .field('controlCodes[]', CONTROL)
      .field('title', title)
      .field('kind', 'document')
      .field('collectedAt', new Date(Date.now() - 60_000).toISOString())
      .attach('file', Buffer.from(`%PDF-1.4\n% ${title}\n%%EOF\n`), {
        filename: 'policy.pdf',
        contentType: 'application/pdf',
      })
      .expect(201);
    return res.body.id as string;
  }

  /** The status of every requirement the control maps to, by framework:ref, from the coverage API. */
  async function coverageOfControl(): Promise<Map<string, { name: string; ref: string; status: string }>> {
    const res = await t
      .http()
      .get(`/api/v1/systems/${systemId}/coverage`)
      .set(bearer(t.users.governance_specialist))
      .expect(200);
    const out = new Map<string, { name: string; ref: string; status: string }>();
    for (const f of (res.body as Coverage).frameworks.filter((x) => x.applies))
      for (const r of f.requirements.filter((x) => x.controls.some((c) => c.code === CONTROL)))
        out.set(`${f.framework}:${r.ref}`, { name: f.name, ref: r.ref, status: r.status });
    return out;
  }

  async function submitWith(page: Page, evidenceId: string) {
    await page.goto(`${browser.base}/tasks/${taskId}`);
    await submit(page, '#move-in_progress button[type=submit]');
    await page.click(`#move-ready_for_review input[value="${evidenceId}"]`);
    await submit(page, '#move-ready_for_review button[type=submit]');
    expect(await browser.text(page, '#task-status')).toBe('ready for review');
  }

  beforeAll(async () => {
    t = await startTestApp({ listen: true });
    browser = await openBrowserSession(t);
    systemId = (
      await t
        .http()
        .post('/api/v1/systems')
        .set(bearer(t.users.governance_specialist))
        .send(allFrameworksSystem({ name: 'Governed assistant' }))
        .expect(201)
    ).body.id;
    taskId = (
      await t
        .http()
        .post('/api/v1/tasks')
        .set(bearer(t.users.governance_specialist))
        .send({
          systemId,
          kind: 'remediation',
          title: `Implement ${CONTROL}`,
          controlCode: CONTROL,
          assigneeRole: 'engineer',
          assigneeUserId: t.users.engineer.id,
          priority: 'high',
        })
        .expect(201)
    ).body.id;
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('lets the reviewer reject the submitted evidence on the task page and shows the engineer why', async () => {
    const first = await upload('AI policy (unsigned draft)');
    const engineer = await browser.openPage();
    await browser.signIn(engineer, t.users.engineer, `/tasks/${taskId}`);
    await submitWith(engineer, first);
    // The engineer uploaded it: no review buttons for them (four eyes).
    expect(await engineer.$(`li[data-evidence-id="${first}"] .review-form`)).toBeNull();

    const specialist = await browser.openPage();
    await browser.signIn(specialist, t.users.governance_specialist, `/tasks/${taskId}`);
    await specialist.type(`#review-comment-${first}`, 'Unsigned draft; upload the version the board signed');
    await submit(specialist, `li[data-evidence-id="${first}"] button[value="rejected"]`);
    expect(new URL(specialist.url()).pathname).toBe(`/tasks/${taskId}`);
    expect(await browser.text(specialist, '#flash')).toContain('Rejected “AI policy (unsigned draft)”');

    await engineer.goto(`${browser.base}/tasks/${taskId}`);
    expect(await browser.text(engineer, `#reason-${first}`)).toBe(
      'Why it was rejected: Unsigned draft; upload the version the board signed',
    );
    expect(await browser.text(engineer, `li[data-evidence-id="${first}"] .status`)).toBe('rejected');
    // Closing is refused in words that name the evidence by its title, not its id.
    const refused = await browser.text(specialist, '#refused-moves');
    expect(refused).toContain('"AI policy (unsigned draft)" has not been accepted yet');
    expect(refused).not.toContain(first);
    await browser.shot(engineer, 'task-rejected-reason');
  });

  it('uploads evidence from the task page for its control, back on the task, and flags the same file twice', async () => {
    const engineer = await browser.openPage();
    await browser.signIn(engineer, t.users.engineer, `/tasks/${taskId}`);
    const file = path.join(makeTempDir('wb-task-upload-'), 'minutes.pdf');
    fs.writeFileSync(file, '%PDF-1.4\n% board minutes\n%%EOF\n');
    const uploadOnce = async (title: string) => {
      await engineer.goto(`${browser.base}/tasks/${taskId}`);
      const input = await engineer.$('#tu-file');
      await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(file);
      await engineer.type('#tu-title', title);
      await submit(engineer, '#task-upload button[type=submit]');
      expect(new URL(engineer.url()).pathname).toBe(`/tasks/${taskId}`);
      return browser.text(engineer, '#flash');
    };
    expect(await uploadOnce('Board minutes')).toBe('Uploaded "Board minutes": stored and waiting for review.');
    const again = await uploadOnce('Board minutes (again)');
    expect(again).toContain(`the same file`);
    expect(again).toContain(`already evidence for ${CONTROL} as "Board minutes"`);
    const listed = await t.http().get(`/api/v1/systems/${systemId}/evidence`).set(bearer(t.users.engineer)).expect(200);
    const minutes = (listed.body as { title: string; controlCodes: string[] }[]).filter((e) =>
      e.title.startsWith('Board minutes'),
    );
    expect(minutes.map((e) => e.controlCodes)).toEqual([[CONTROL], [CONTROL]]);
  });

  it('offers the control transition when closing the remediation and reports the coverage it changed', async () => {
    const specialist = await browser.openPage();
    await browser.signIn(specialist, t.users.governance_specialist, `/tasks/${taskId}`);
    await specialist.type('#comment-reopened', 'The signed policy is missing');
    await submit(specialist, '#move-reopened button[type=submit]');

    const signed = await upload('AI policy signed by the board');
    const engineer = await browser.openPage();
    await browser.signIn(engineer, t.users.engineer, `/tasks/${taskId}`);
    await submitWith(engineer, signed);

    await specialist.goto(`${browser.base}/tasks/${taskId}`);
    await submit(specialist, `li[data-evidence-id="${signed}"] button[value="accepted"]`);
    expect(await browser.text(specialist, '#flash')).toBe('Accepted “AI policy signed by the board”.');
    const offered = await specialist.$$eval('#control-status-done option', (options) =>
      options.map((o) => [o.value, o.selected]),
    );
    expect(offered[0]).toEqual(['', false]);
    expect(offered).toContainEqual(['implemented', true]);
    expect(await specialist.$$eval('#supported-requirements tbody tr', (rows) => rows.length)).toBeGreaterThan(0);

    const before = await coverageOfControl();
    await submit(specialist, '#move-done button[type=submit]');
    const after = await coverageOfControl();
    const changed = [...after].filter(([key, r]) => before.get(key)?.status !== r.status);
    // GOVERN 1.2 maps superset-of with strength 9 (>= the threshold 7): implemented with accepted evidence covers it.
    expect(changed.map(([key]) => key)).toContain('nist-ai-rmf-1.0:GOVERN 1.2');
    const flash = await browser.text(specialist, '#flash');
    expect(flash).toContain(`Task done; ${CONTROL} is now implemented.`);
    expect(flash).toContain(`Coverage changed for ${changed.length} requirement`);
    for (const [key, r] of changed)
      expect(flash).toContain(`${r.name} ${r.ref}: ${before.get(key)!.status.replace(/_/g, ' ')} → ${r.status}`);
    const controls = await t
      .http()
      .get(`/api/v1/systems/${systemId}/controls`)
      .set(bearer(t.users.governance_specialist))
      .expect(200);
    expect(
      (controls.body as { controlCode: string; status: string }[]).find((c) => c.controlCode === CONTROL),
    ).toMatchObject({ status: 'implemented' });
    expect(await browser.text(specialist, '#task-status')).toBe('done');
    await browser.shot(specialist, 'task-done-coverage');

    const problems = await checkPageAtBothWidths(
      specialist,
      `${browser.base}/tasks/${taskId}`,
      (page, name) => browser.shot(page, name),
      'task-closed',
    );
    expect(problems).toEqual([]);
    browser.assertClean();
  });
});
