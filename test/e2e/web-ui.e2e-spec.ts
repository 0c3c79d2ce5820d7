/// <reference lib="dom" />
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { allFrameworksSystem, minimalSystem } from '../factories/systems';
import { BrowserSession, openBrowserSession } from '../factories/browser-session';
import { bearer, startTestApp, TEST_PASSWORD, TestApp } from '../factories/test-app';

describe('web UI in a real browser (e2e)', () => {
  let t: TestApp;
  let browser: BrowserSession;

  beforeAll(async () => {
    t = await startTestApp({ listen: true });
    browser = await openBrowserSession(t);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });
  afterEach(() => browser.assertClean());

  /** Polls the API until the pack's render ends; a failed render fails the test with its error. */
  async function packReady(id: string): Promise<void> {
    const deadline = Date.now() + 90000;
    for (;;) {
      const res = await t.http().get(`/api/v1/packs/${id}`).set(bearer(t.users.governance_specialist)).expect(200);
      if (res.body.status === 'ready') return;
      if (res.body.status === 'failed') throw new Error(`pack failed: ${res.body.error}`);
      if (Date.now() > deadline) throw new Error(`pack still ${res.body.status} after 90 s`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  it('governance specialist: signs in, adds a system through the form (fixing a missing name), sees applicability and coverage, changes a control', async () => {
    const page = await browser.openPage();
    // Signed out, a page sends the browser to the sign-in form and back afterwards.
    await page.goto(`${browser.base}/systems/new`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await browser.shot(page, '01-login');
    await page.type('#email', t.users.governance_specialist.email);
    await page.type('#password', 'not the password');
    await Promise.all([page.waitForNavigation(), page.click('form[action="/login"] button[type=submit]')]);
    expect(await browser.text(page, '#login-error')).toMatch(/do not match/);
    await page.type('#password', TEST_PASSWORD);
    await Promise.all([page.waitForNavigation(), page.click('form[action="/login"] button[type=submit]')]);
    expect(new URL(page.url()).pathname).toBe('/systems/new');

    await page.type('#purpose', 'Suggests triage levels to nurses.');
    await page.type('#owner', 'Clinical AI team');
    await page.select('#lifecycleStage', 'deployed');
    await page.select('#useCaseDomain', 'healthcare');
    for (const box of ['#personalData', '#specialCategoryData', '#phi', '#soc2-security', '#soc2-availability'])
      await page.click(box);
    await page.type('#jurisdictions', 'de, US');
    // The applicability questions in words; the GDPR duty questions stay unanswered, so the system needs review.
    expect(await browser.text(page, 'label[for="hipaaRole"]')).toMatch(
      /covered entity .* or a business associate of one/,
    );
    await page.select('#hipaaRole', 'covered_entity');
    await page.select('#gdprEstablishment', 'yes');
    await page.type('#modelVersion', '1.0.0');
    await Promise.all([page.waitForNavigation(), page.click('form.stack button[type=submit]')]);
    expect(await browser.text(page, '#name-error')).toMatch(/fill this in/);
    expect(await page.$eval('#purpose', (el) => (el as HTMLTextAreaElement).value)).toBe(
      'Suggests triage levels to nurses.',
    );
    expect(await page.$eval('#phi', (el) => (el as HTMLInputElement).checked)).toBe(true);
    expect(await page.$eval('#hipaaRole', (el) => (el as HTMLSelectElement).value)).toBe('covered_entity');
    expect(await page.$eval('#soc2-availability', (el) => (el as HTMLInputElement).checked)).toBe(true);
    await browser.shot(page, '02-system-form-error');

    await page.type('#name', 'Triage assistant');
    await Promise.all([page.waitForNavigation(), page.click('form.stack button[type=submit]')]);
    expect(new URL(page.url()).pathname).toMatch(/^\/systems\/[0-9a-f-]{36}$/);
    expect(await browser.text(page, 'h1')).toBe('Triage assistant');
    expect(await browser.text(page, '#risk-tier')).toMatch(/high/);
    const applicability = await browser.text(page, '#applicability');
    expect(applicability).toMatch(/HIPAA[^:]*: applies/);
    expect(applicability).toMatch(/GDPR[^:]*: applies/);
    expect(applicability).toContain('45 CFR 164.302; 160.103 (covered entity)');
    expect(await browser.text(page, '#applicability-review')).toMatch(
      /Needs review[\s\S]*consent of the people concerned/,
    );
    expect(await browser.text(page, '#applicability-answers')).toMatch(/SOC 2 categories\s*security, availability/);
    // The four frameworks of the form's answers, and the AI frameworks of issue 19 (ISO/IEC 42001 and ATLAS for every
    // system, NIST AI 600-1 and the OWASP LLM Top 10 for a generative one); the EU AI Act depends on its own answers.
    const shown = await page.$$eval('#coverage-summary li', (els) => els.map((el) => el.id.replace(/^coverage-/, '')));
    expect(shown.filter((key) => key !== 'eu-ai-act').sort()).toEqual([
      'gdpr',
      'hipaa-security',
      'iso-iec-42001',
      'mitre-atlas',
      'nist-ai-600-1',
      'nist-ai-rmf-1.0',
      'owasp-llm-top10-2025',
      'soc2-tsc-2017',
    ]);
    await browser.shot(page, '03-system');
    // The drill-down is the framework's own page (the system page carries one line per framework): it names what
    // decided each status: nothing is implemented yet, so each leaf is a gap (or not applicable) whose reason names
    // the sufficient mapping that would cover it.
    await Promise.all([page.waitForNavigation(), page.click('#coverage-hipaa-security a.fw')]);
    const reasons = await page.$$eval('#coverage-requirements p.reason', (els) =>
      els.map((el) => el.textContent ?? ''),
    );
    expect(reasons.length).toBeGreaterThan(40);
    expect(reasons.filter((r) => !/^(gap|not applicable): /.test(r))).toEqual([]);
    expect(
      reasons.some((r) =>
        /it would be covered by AIG-[A-Z]{3}-\d{2} (equal-to|equivalent-to|superset-of) \(strength \d+, sufficient\)/.test(
          r,
        ),
      ),
    ).toBe(true);
    expect(await browser.text(page, '#coverage-requirements')).toMatch(/HIPAA addressable specification/);
    await page.click('#coverage-requirements li:first-child summary');
    await browser.shot(page, '03-system-coverage');
    // Gaps only: every requirement listed is a gap, and there are fewer than in the whole list.
    await Promise.all([page.waitForNavigation(), page.click('#coverage-filters a[href$="status=gap"]')]);
    const gaps = await page.$$eval('#coverage-requirements > li > details > summary > .status', (els) =>
      els.map((el) => el.textContent),
    );
    expect(gaps.length).toBeGreaterThan(0);
    expect(gaps.length).toBeLessThanOrEqual(reasons.length);
    expect(new Set(gaps)).toEqual(new Set(['gap']));
    await Promise.all([page.waitForNavigation(), page.click('a.button[href$="#coverage-h"]')]);

    await Promise.all([page.waitForNavigation(), page.click('a[href$="/controls"]')]);
    await page.select('#status-AIG-SEC-05', 'in_progress');
    await Promise.all([page.waitForNavigation(), page.click('#control-AIG-SEC-05 button[type=submit]')]);
    expect(await page.$eval('#control-AIG-SEC-05 [data-status]', (el) => el.getAttribute('data-status'))).toBe(
      'in_progress',
    );
    await browser.shot(page, '04-controls');

    await Promise.all([page.waitForNavigation(), page.click('a[href="/"]')]);
    expect(await browser.text(page, '#coverage-table')).toContain('Triage assistant');
    await browser.shot(page, '05-dashboard-specialist');
  });

  it('engineer: uploads evidence through the form on a system page, sees the progress finish and the evidence listed', async () => {
    const created = await t
      .http()
      .post('/api/v1/systems')
      .set(bearer(t.users.governance_specialist))
      .send(allFrameworksSystem({ name: 'Upload target' }))
      .expect(201);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'web-ui-')), 'access-review.pdf');
    fs.writeFileSync(file, '%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    const page = await browser.openPage();
    await browser.signIn(page, t.users.engineer, `/systems/${created.body.id}`);
    expect(await page.$('a[href$="/edit"]')).toBeNull();

    const input = await page.$('#ev-file');
    await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(file);
    await page.type('#ev-title', 'Access review Q3');
    // The controls are a checkbox list with a search box (issue 17.13): typing narrows it to the matching controls.
    const visible = () =>
      page.$$eval('#ev-controls .picker-list label', (labels) =>
        labels
          .filter((l) => !(l as HTMLElement).hidden)
          .map((l) => (l.querySelector('input') as HTMLInputElement).value),
      );
    const all = (await visible()).length;
    expect(all).toBeGreaterThan(20);
    await page.type('#ev-controls-filter', 'sec-05');
    expect(await visible()).toEqual(['AIG-SEC-05']);
    await page.click('#ev-controls input[value="AIG-SEC-05"]');
    await page.$eval('#ev-controls-filter', (el) => {
      (el as HTMLInputElement).value = '';
      el.dispatchEvent(new Event('input'));
    });
    expect((await visible()).length).toBe(all);
    await page.click('#evidence-upload button[type=submit]');
    await page.waitForFunction(() =>
      /upload (finished|was refused|failed)/i.test(document.getElementById('upload-status')?.textContent ?? ''),
    );
    expect(await browser.text(page, '#upload-status')).toMatch(/^Upload finished/);
    expect(await page.$eval('#upload-progress', (el) => (el as HTMLProgressElement).value)).toBe(100);
    expect(await browser.text(page, '#evidence-table')).toContain('Access review Q3');
    await browser.shot(page, '06-upload-finished');

    await page.reload();
    const listed = await browser.text(page, '#evidence-table');
    expect(listed).toContain('Access review Q3');
    expect(listed).toContain('AIG-SEC-05');
    // Engineers may not review evidence or add systems; the UI says so in words.
    expect(await page.$('form[action$="/review"]')).toBeNull();
    await page.goto(`${browser.base}/systems/new`);
    expect(await browser.text(page, 'h1')).toBe('You do not have access to adding or changing AI systems');
    await browser.shot(page, '07-forbidden');
  });

  it('auditor: sees only the systems of their audit, downloads a ready pack from the dashboard, reads the audit log with a valid chain', async () => {
    const specialist = bearer(t.users.governance_specialist);
    const inScope = await t
      .http()
      .post('/api/v1/systems')
      .set(specialist)
      .send(minimalSystem({ name: 'Audited system' }))
      .expect(201);
    const outOfScope = await t
      .http()
      .post('/api/v1/systems')
      .set(specialist)
      .send(minimalSystem({ name: 'Not in the audit' }))
      .expect(201);
    const hour = 3600_000;
    const audit = await t
      .http()
      .post('/api/v1/audits')
      .set(specialist)
      .send({
        name: 'FY26 audit',
        systemIds: [inScope.body.id],
        frameworks: ['nist-ai-rmf-1.0'],
        auditorIds: [t.users.auditor.id],
        periodStart: new Date(Date.now() - hour).toISOString(),
        periodEnd: new Date(Date.now() + hour).toISOString(),
      })
      .expect(201);

    const page = await browser.openPage();
    await browser.signIn(page, t.users.auditor);
    expect(await page.$('#nav-tasks')).toBeNull();
    expect(await page.$('#nav-packs')).not.toBeNull();
    const audits = await browser.text(page, '#my-audits');
    expect(audits).toContain('FY26 audit');
    expect(audits).toContain('Audited system');
    expect(await browser.text(page, '#ready-packs-empty')).toMatch(/No evidence pack is ready/);
    const dashboard = await browser.text(page, '#audit-systems');
    expect(dashboard).toContain('Audited system');
    expect(dashboard).not.toContain('Not in the audit');

    // A pack of the audit, once ready, is offered on the dashboard with links that download it (not href="").
    const pack = await t.http().post('/api/v1/packs').set(specialist).send({ auditId: audit.body.id }).expect(202);
    await packReady(pack.body.id as string);
    await page.reload();
    const links = await page.$$eval('#ready-packs a.pack-pdf, #ready-packs a.pack-bundle', (as) =>
      as.map((a) => a.getAttribute('href')),
    );
    expect(links).toEqual([`/packs/${pack.body.id}/pdf`, `/packs/${pack.body.id}/bundle`]);
    const downloads = await page.evaluate(async (hrefs) => {
      const heads: { status: number; head: string; name?: string }[] = [];
      for (const href of hrefs) {
        const response = await fetch(href ?? '', { credentials: 'same-origin' });
        const bytes = new Uint8Array(await response.arrayBuffer());
        heads.push({
          status: response.status,
          head: String.fromCharCode(...bytes.slice(0, 4)),
          name: /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1],
        });
      }
      return heads;
    }, links);
    // Download names a person can file: the audit's name, the as-of day and a short id (issue 17.9).
    const stored = await t.http().get(`/api/v1/packs/${pack.body.id}`).set(specialist).expect(200);
    const named = `fy26-audit-${String(stored.body.asOf).slice(0, 10)}-${String(pack.body.id).slice(0, 8)}`;
    expect(downloads).toEqual([
      { status: 200, head: '%PDF', name: `${named}.pdf` },
      { status: 200, head: 'PK\u0003\u0004', name: `${named}.zip` },
    ]);
    await browser.shot(page, '08-dashboard-auditor');

    await page.goto(`${browser.base}/systems`);
    expect(await page.$$eval('#systems-table tbody tr', (rows) => rows.map((r) => r.textContent ?? ''))).toEqual([
      expect.stringContaining('Audited system'),
    ]);
    expect(await page.$('a[href="/systems/new"]')).toBeNull();
    const response = await page.goto(`${browser.base}/systems/${outOfScope.body.id}`);
    expect(response?.status()).toBe(404);
    expect(await browser.text(page, 'h1')).toBe('Page not found');

    await page.goto(`${browser.base}/audit-log`);
    expect(await page.$eval('#chain-status', (el) => el.getAttribute('data-valid'))).toBe('true');
    expect(await browser.text(page, '#chain-status')).toContain('valid');
    // Only entries about the auditor's audit and its system: no other system, no users, no sign-ins.
    const rows = await page.$$eval('#audit-entries tbody tr', (trs) => trs.map((r) => r.textContent ?? ''));
    expect(rows.some((r) => r.includes('system.create') && r.includes(inScope.body.id.slice(0, 8)))).toBe(true);
    expect(rows.some((r) => r.includes('audit.create'))).toBe(true);
    expect(rows.filter((r) => r.includes(outOfScope.body.id.slice(0, 8)) || /user\.|auth\./.test(r))).toEqual([]);
    await browser.shot(page, '09-audit-log');

    await Promise.all([page.waitForNavigation(), page.click('.signout button')]);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.goto(`${browser.base}/audit-log`);
    expect(new URL(page.url()).pathname).toBe('/login');
  }, 120000);

  it('engineer: opens My tasks from the dashboard, opens a task, starts it through the page and sees a refused move explained', async () => {
    const specialist = bearer(t.users.governance_specialist);
    const system = await t
      .http()
      .post('/api/v1/systems')
      .set(specialist)
      .send(allFrameworksSystem({ name: 'Tasked system' }))
      .expect(201);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString();
    const task = await t
      .http()
      .post('/api/v1/tasks')
      .set(specialist)
      .send({
        systemId: system.body.id,
        controlCode: 'AIG-SEC-05',
        kind: 'remediation',
        title: 'Document the access review',
        assigneeRole: 'engineer',
        assigneeUserId: t.users.engineer.id,
        dueDate: yesterday,
        priority: 'high',
      })
      .expect(201);

    const page = await browser.openPage();
    await browser.signIn(page, t.users.engineer);
    expect(await browser.text(page, '#my-tasks')).toContain('Document the access review');
    await Promise.all([page.waitForNavigation(), page.click('#nav-tasks')]);
    expect(new URL(page.url()).pathname).toBe('/tasks');
    const row = await browser.text(page, `#tasks-table tr[data-task-id="${task.body.id}"]`);
    expect(row).toContain('Tasked system');
    expect(row).toContain('overdue');
    expect(await browser.text(page, '#overdue-count')).toMatch(/overdue: [1-9]/);
    await browser.shot(page, '10-tasks');

    // A filter with no match says what to do instead of showing an empty table.
    await page.goto(`${browser.base}/tasks?status=done`);
    expect(await browser.text(page, '#tasks-empty')).toMatch(/No tasks match this filter/);

    await page.goto(`${browser.base}/tasks/${task.body.id}`);
    expect(await browser.text(page, 'h1')).toBe('Document the access review');
    expect(await browser.text(page, '#control')).toContain('AIG-SEC-05');
    expect(await page.$$eval('#typical-evidence li', (items) => items.length)).toBeGreaterThan(0);
    expect(await page.$$eval('form.move input[name=to]', (inputs) => inputs.map((i) => i.value))).toEqual([
      'in_progress',
    ]);
    await page.type('#comment-in_progress', 'Starting on it');
    await Promise.all([page.waitForNavigation(), page.click('#move-in_progress button[type=submit]')]);
    expect(await page.$eval('#task-status', (el) => el.getAttribute('data-status'))).toBe('in_progress');
    const history = await browser.text(page, '#task-history');
    expect(history).toContain('open → in progress');
    expect(history).toContain('Starting on it');

    // Asking for review of remediation work without evidence is refused, in words, on the task page.
    const refused = await Promise.all([
      page.waitForNavigation(),
      page.click('#move-ready_for_review button[type=submit]'),
    ]);
    expect(refused[0]?.status()).toBe(400);
    expect(await browser.text(page, '#form-errors')).toMatch(/Attach at least one piece of evidence/);
    expect(await page.$eval('#task-status', (el) => el.getAttribute('data-status'))).toBe('in_progress');
    await browser.shot(page, '11-task');

    // With evidence for the control uploaded, it is offered as a checkbox; ticking it lets the task go to review.
    const uploaded = await t
      .http()
      .post(`/api/v1/systems/${system.body.id}/evidence`)
      .set(bearer(t.users.engineer))
      .field('controlCodes[]', 'AIG-SEC-05')
      .field('title', 'Quarterly access review sign-off')
      .field('kind', 'test_report')
      .field('collectedAt', new Date(Date.now() - 60000).toISOString())
      .attach('file', Buffer.from('signed off\n'), { filename: 'sign-off.txt', contentType: 'text/plain' })
      .expect(201);
    await page.goto(`${browser.base}/tasks/${task.body.id}`);
    await page.click(`#move-ready_for_review input[name=evidenceIds][value="${uploaded.body.id}"]`);
    await Promise.all([page.waitForNavigation(), page.click('#move-ready_for_review button[type=submit]')]);
    expect(await page.$eval('#task-status', (el) => el.getAttribute('data-status'))).toBe('ready_for_review');
    expect(await browser.text(page, '#task-history')).toContain('Quarterly access review sign-off');
    // Verification is someone else's: the engineer is offered no further move.
    expect(await browser.text(page, '#no-moves')).toMatch(/waits for a governance specialist/);
    const api = await t.http().get(`/api/v1/tasks/${task.body.id}`).set(bearer(t.users.engineer)).expect(200);
    expect(api.body.status).toBe('ready_for_review');
    expect(api.body.events.at(-1).evidenceIds).toEqual([uploaded.body.id]);
  });

  it('governance specialist: generates a pack through the form, watches it reach ready and downloads the PDF', async () => {
    const specialist = bearer(t.users.governance_specialist);
    const system = await t
      .http()
      .post('/api/v1/systems')
      .set(specialist)
      .send(allFrameworksSystem({ name: 'Packed system' }))
      .expect(201);
    await t
      .http()
      .post('/api/v1/tasks')
      .set(specialist)
      .send({
        systemId: system.body.id,
        kind: 'review',
        title: 'Late review',
        assigneeRole: 'engineer',
        dueDate: new Date(Date.now() - 86_400_000).toISOString(),
      })
      .expect(201);
    const page = await browser.openPage();
    await browser.signIn(page, t.users.governance_specialist, '/');
    expect(await browser.text(page, '#overdue-tasks')).toMatch(/[1-9]\d* overdue task/);
    await Promise.all([page.waitForNavigation(), page.click('#nav-packs')]);

    await page.select('#pack-scope', `system:${system.body.id}`);
    await page.click('input[name=frameworks][value="nist-ai-rmf-1.0"]');
    const [landed] = await Promise.all([page.waitForNavigation(), page.click('#pack-form button[type=submit]')]);
    expect(new URL(page.url()).pathname).toMatch(/^\/packs\/[0-9a-f-]{36}$/);
    // The page arrives before the render ends (a real Chromium takes a while), so what follows is app.js polling.
    expect(await landed?.text()).toMatch(/data-pack-status="(queued|rendering)"/);
    expect(await browser.text(page, '.facts')).toContain('Packed system');
    // The page follows the render on its own (app.js polls the API): no reload here.
    await page.waitForFunction(
      () => /^(ready|failed)$/.test(document.getElementById('pack-status')?.getAttribute('data-pack-status') ?? ''),
      { timeout: 90000 },
    );
    expect(await browser.text(page, '#pack-status')).toBe('ready');
    expect(await page.$eval('#pack-downloads', (el) => (el as HTMLElement).hidden)).toBe(false);
    const pdfHref = await page.$eval('#pack-downloads a.pack-pdf', (a) => a.href);
    const pdf = await page.evaluate(async (href) => {
      const response = await fetch(href, { credentials: 'same-origin' });
      const bytes = new Uint8Array(await response.arrayBuffer());
      return {
        status: response.status,
        type: response.headers.get('content-type'),
        head: String.fromCharCode(...bytes.slice(0, 5)),
      };
    }, pdfHref);
    expect(pdf).toEqual({ status: 200, type: 'application/pdf', head: '%PDF-' });

    await Promise.all([page.waitForNavigation(), page.click('a[href="/packs"].button')]);
    expect(await browser.text(page, '#packs-table')).toContain('Packed system');
    await browser.shot(page, '12-packs');
  }, 120000);
});
