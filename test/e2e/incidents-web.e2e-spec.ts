/// <reference lib="dom" />
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DateTime } from 'luxon';
import { Page } from 'puppeteer';
import { minimalSystem } from '../factories/systems';
import { BrowserSession, openBrowserSession } from '../factories/browser-session';
import { bearer, startTestApp, TestApp } from '../factories/test-app';

const ZONE = 'Europe/Berlin';
const HOUR = 3_600_000;

describe('incident pages in a real browser (e2e)', () => {
  let t: TestApp;
  let browser: BrowserSession;

  beforeAll(async () => {
    t = await startTestApp({ listen: true, env: { WORKBENCH_TIME_ZONE: ZONE } });
    browser = await openBrowserSession(t);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });
  afterEach(() => browser.assertClean());
  const setValue = (page: Page, selector: string, value: string) =>
    page.$eval(selector, (el, v) => ((el as HTMLInputElement).value = v), value);

  it('governance specialist: records an incident, sees the countdown in red, records a notification and downloads the report', async () => {
    const system = await t
      .http()
      .post('/api/v1/systems')
      .set(bearer(t.users.governance_specialist))
      .send(
        minimalSystem({ name: 'Support chatbot', personalData: true, gdprEstablishment: true, gdprRole: 'controller' }),
      )
      .expect(201);
    const page = await browser.openPage();
    await browser.signIn(page, t.users.governance_specialist, '/incidents');
    expect(await browser.text(page, '#incidents-empty')).toMatch(/No incidents recorded/);
    await Promise.all([page.waitForNavigation(), page.click('#new-incident')]);

    // Aware 50 hours ago: the 72 hours of GDPR Art. 33(1) leave 22, under a day, so the countdown is red.
    const local = (ms: number) => DateTime.fromMillis(Date.now() - ms, { zone: ZONE }).toFormat("yyyy-MM-dd'T'HH:mm");
    await page.type('#title', 'Chatbot disclosed order histories');
    await page.type('#description', 'A prompt injection made the chatbot print other customers\u2019 orders.');
    await page.type('#reporter', 'SOC on-call');
    await page.click(`#system-${system.body.id}`);
    await page.click('#category-personal_data_breach');
    await page.select('#gdprRisk', 'risk');
    // Became aware before it was detected: refused, in words, and the answers stay.
    await setValue(page, '#detectedAt', local(49 * HOUR));
    await setValue(page, '#becameAwareAt', local(50 * HOUR));
    const [refused] = await Promise.all([page.waitForNavigation(), page.click('#incident-form button[type=submit]')]);
    expect(refused?.status()).toBe(400);
    expect(await browser.text(page, '#form-errors')).toMatch(/becameAwareAt cannot be before detectedAt/);
    expect(await page.$eval('#title', (el) => (el as HTMLInputElement).value)).toBe(
      'Chatbot disclosed order histories',
    );
    expect(await page.$eval(`#system-${system.body.id}`, (el) => (el as HTMLInputElement).checked)).toBe(true);
    await browser.shot(page, 'incident-01-form-refused');

    await setValue(page, '#detectedAt', local(51 * HOUR));
    await Promise.all([page.waitForNavigation(), page.click('#incident-form button[type=submit]')]);
    expect(new URL(page.url()).pathname).toMatch(/^\/incidents\/[0-9a-f-]{36}$/);
    const incidentId = new URL(page.url()).pathname.split('/')[2];
    expect(await browser.text(page, 'h1')).toBe('Chatbot disclosed order histories');
    expect(await browser.text(page, '#incident-facts')).toContain(ZONE);
    const authority = '#obligation-gdpr-art-33-1-authority';
    expect(await browser.text(page, authority)).toContain('GDPR Art. 33(1)');
    expect(await browser.text(page, `${authority} .countdown`)).toMatch(/^2[01] h \d\d min left$/);
    expect(
      await page.$eval(`${authority} .countdown`, (el) => [
        el.classList.contains('urgent'),
        getComputedStyle(el).color,
      ]),
    ).toEqual([true, 'rgb(179, 38, 30)']);
    expect(await page.$eval('#obligation-gdpr-art-33-2-controller', (el) => el.getAttribute('data-state'))).toBe(
      'not_required',
    );
    await browser.shot(page, 'incident-02-detail');

    // The dashboard shows the same countdown, red too.
    await page.goto(`${browser.base}/`);
    expect(await browser.text(page, '#incident-deadlines')).toContain('Chatbot disclosed order histories');
    expect(
      await page.$eval('#incident-deadlines .countdown', (el) => [
        el.classList.contains('urgent'),
        /^2[01] h \d\d min left$/.test(el.textContent ?? ''),
      ]),
    ).toEqual([true, true]);

    await page.goto(`${browser.base}/incidents`);
    const row = `#incidents-table tr[data-incident-id="${incidentId}"]`;
    expect(await browser.text(page, row)).toContain('GDPR Art. 33(1)');
    expect(await page.$eval(`${row} .countdown`, (el) => el.classList.contains('urgent'))).toBe(true);
    await browser.shot(page, 'incident-03-list');

    await page.goto(`${browser.base}/incidents/${incidentId}`);
    await page.select('#n-obligation', await page.$eval('#n-obligation option', (o) => o.value));
    await page.type('#n-recipient', 'Berlin data protection authority');
    await page.select('#n-channel', 'portal');
    await page.type('#n-reference', 'BlnBDI-2026-0042');
    await Promise.all([page.waitForNavigation(), page.click('#notification-form button[type=submit]')]);
    expect(await browser.text(page, '#notifications-table')).toContain('BlnBDI-2026-0042');
    expect(await page.$eval(authority, (el) => el.getAttribute('data-state'))).toBe('done');
    expect(await page.$(`${authority} .countdown`)).toBeNull();
    expect(await browser.text(page, '#incident-timeline')).toMatch(
      /notification: GDPR Art\. 33\(1\): Berlin data protection authority notified by portal/,
    );
    await browser.shot(page, 'incident-04-notified');

    const href = await page.$eval('#report-download', (a) => (a as HTMLAnchorElement).href);
    const pdf = await page.evaluate(async (url) => {
      const response = await fetch(url, { credentials: 'same-origin' });
      return {
        status: response.status,
        type: response.headers.get('content-type'),
        bytes: Array.from(new Uint8Array(await response.arrayBuffer())),
      };
    }, href);
    expect([pdf.status, pdf.type]).toEqual([200, 'application/pdf']);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'incident-web-')), 'report.pdf');
    fs.writeFileSync(file, Buffer.from(pdf.bytes));
    const report = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-']).toString('utf8');
    for (const words of [
      'Chatbot disclosed order histories',
      'GDPR Art. 33(1)',
      'Met on time',
      'BlnBDI-2026-0042',
      ZONE,
    ])
      expect(report).toContain(words);
  }, 90000);

  it('auditor: reads the register of their audit\u2019s systems, with no forms to change it', async () => {
    const specialist = bearer(t.users.governance_specialist);
    const system = await t
      .http()
      .post('/api/v1/systems')
      .set(specialist)
      .send(minimalSystem({ name: 'Audited system', phi: true, hipaaRole: 'covered_entity' }))
      .expect(201);
    await t
      .http()
      .post('/api/v1/audits')
      .set(specialist)
      .send({
        name: 'HIPAA audit',
        systemIds: [system.body.id],
        frameworks: ['nist-ai-rmf-1.0'],
        auditorIds: [t.users.auditor.id],
        periodStart: new Date(Date.now() - 24 * HOUR).toISOString(),
        periodEnd: new Date(Date.now() + 24 * HOUR).toISOString(),
      })
      .expect(201);
    const incident = await t
      .http()
      .post('/api/v1/incidents')
      .set(specialist)
      .send({
        systemIds: [system.body.id],
        title: 'Misrouted discharge letters',
        reporter: 'Ward clerk',
        severity: 'medium',
        categories: ['ephi_breach'],
        affectedCount: 30,
        detectedAt: new Date(Date.now() - 2 * HOUR).toISOString(),
        becameAwareAt: new Date(Date.now() - HOUR).toISOString(),
      })
      .expect(201);
    const page = await browser.openPage();
    await browser.signIn(page, t.users.auditor, '/incidents');
    expect(await page.$('#nav-incidents')).not.toBeNull();
    expect(await page.$('#new-incident')).toBeNull();
    const rows = await page.$$eval('#incidents-table tbody tr', (trs) => trs.map((r) => r.textContent ?? ''));
    expect(rows).toEqual([expect.stringContaining('Misrouted discharge letters')]);
    await page.goto(`${browser.base}/incidents/${incident.body.id}`);
    expect(await page.$('#notification-form')).toBeNull();
    expect(await page.$('#move-form')).toBeNull();
    expect(await browser.text(page, '#obligation-hipaa-164-404-individuals')).toMatch(/\d+ d \d+ h left/);
    await browser.shot(page, 'incident-05-auditor');
  });
});
