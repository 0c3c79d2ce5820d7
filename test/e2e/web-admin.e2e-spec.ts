/// <reference lib="dom" />
import type { Page } from 'puppeteer';
import { BrowserSession, openBrowserSession } from '../factories/browser-session';
import { checkPageAtBothWidths } from '../factories/page-checks';
import { allFrameworksSystem } from '../factories/systems';
import { bearer, startTestApp, TestApp } from '../factories/test-app';

/**
 * Issue 17 items 12 and 15 in a real Chromium, through the UI alone: an administrator adds a user, who changes the
 * one-time password at first sign-in; roles, disabling and resets; a specialist opens an audit with its period,
 * writes and signs off the assertion and requests its pack; the assigned auditor finds the audit, its packs and its
 * evidence, and another auditor does not.
 */
describe('administration and audit pages (e2e)', () => {
  let t: TestApp;
  let browser: BrowserSession;
  let systemId: string;
  let evidenceId: string;
  let auditUrl = '';

  const submit = (page: Page, selector: string) =>
    Promise.all([page.waitForNavigation(), page.click(selector)]).then(([response]) => response);

  // A date input's typed form depends on the browser's locale; its value is always YYYY-MM-DD.
  const setDate = (page: Page, selector: string, value: string) =>
    page.$eval(selector, (input, v) => ((input as HTMLInputElement).value = v), value);

  async function signInAs(page: Page, email: string, password: string) {
    await page.goto(`${browser.base}/login`);
    await page.type('#email', email);
    await page.type('#password', password);
    return submit(page, 'form[action="/login"] button[type=submit]');
  }

  beforeAll(async () => {
    t = await startTestApp({ listen: true });
    browser = await openBrowserSession(t);
    systemId = (
      await t
        .http()
        .post('/api/v1/systems')
        .set(bearer(t.users.governance_specialist))
        .send(allFrameworksSystem({ name: 'Audited assistant' }))
        .expect(201)
    ).body.id;
    evidenceId = (
      await t
        .http()
        .post(`/api/v1/systems/${systemId}/evidence`)
        .set(bearer(t.users.engineer))
        .field('controlCodes[]', 'AIG-GOV-01')
        .field('title', 'AI policy approved by the board')
        .field('kind', 'document')
        .field('collectedAt', new Date(Date.now() - 60_000).toISOString())
        .attach('file', Buffer.from('%PDF-1.4\n%%EOF\n'), { filename: 'policy.pdf', contentType: 'application/pdf' })
        .expect(201)
    ).body.id;
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('lets an administrator add a user who must change the one-time password before anything else', async () => {
    const admin = await browser.openPage();
    await browser.signIn(admin, t.users.admin, '/admin/users');
    await admin.type('#email', 'new.engineer@example.test');
    await admin.type('#displayName', 'New Engineer');
    await admin.select('#role', 'engineer');
    const created = await submit(admin, '#user-form button[type=submit]');
    expect(created?.status()).toBe(201);
    const password = (await browser.text(admin, '#issued-password')).trim();
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    await browser.shot(admin, 'admin-users-issued');

    const newcomer = await browser.openPage();
    await signInAs(newcomer, 'new.engineer@example.test', password);
    expect(new URL(newcomer.url()).pathname).toBe('/account/password');
    expect(await browser.text(newcomer, '#one-time-note')).toContain('one-time password');
    const blocked = await newcomer.goto(`${browser.base}/systems`);
    expect(blocked?.status()).toBe(403);
    expect(await browser.text(newcomer, 'h1')).toBe('Change your one-time password first');

    await newcomer.goto(`${browser.base}/account/password`);
    await newcomer.type('#currentPassword', password);
    await newcomer.type('#newPassword', 'amber glacier lantern 42');
    await newcomer.type('#confirmPassword', 'amber glacier lantern 41');
    const mismatch = await submit(newcomer, '#password-form button[type=submit]');
    expect(mismatch?.status()).toBe(400);
    expect(await browser.text(newcomer, '#form-errors')).toContain('differ');
    await newcomer.type('#currentPassword', password);
    await newcomer.type('#newPassword', 'amber glacier lantern 42');
    await newcomer.type('#confirmPassword', 'amber glacier lantern 42');
    await submit(newcomer, '#password-form button[type=submit]');
    expect(new URL(newcomer.url()).pathname).toBe('/');
    expect(await browser.text(newcomer, '#flash')).toContain('password is changed');
    expect((await newcomer.goto(`${browser.base}/systems`))?.status()).toBe(200);

    // The account now signs in with the chosen password only.
    const login = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: 'new.engineer@example.test', password: 'amber glacier lantern 42' })
      .expect(200);
    expect(login.body.user.mustChangePassword).toBe(false);
    await t.http().post('/api/v1/auth/login').send({ email: 'new.engineer@example.test', password }).expect(401);
  });

  it('changes a role, disables (ending the sign-ins) and resets a password from the users page', async () => {
    const admin = await browser.openPage();
    await browser.signIn(admin, t.users.admin, '/admin/users');
    const user = (await t.http().get('/api/v1/users').set(bearer(t.users.admin)).expect(200)).body.find(
      (u: { email: string }) => u.email === 'new.engineer@example.test',
    ) as { id: string };
    const row = `tr[data-user-email="new.engineer@example.test"]`;

    await admin.select(`#role-${user.id}`, 'auditor');
    await submit(admin, `${row} form:first-of-type button[type=submit]`);
    expect(await browser.text(admin, '#flash')).toBe('Saved: new.engineer@example.test is now auditor.');
    expect(await browser.text(admin, `${row} td[data-label="Role"]`)).toBe('auditor');

    const session = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: 'new.engineer@example.test', password: 'amber glacier lantern 42' })
      .expect(200);
    await submit(admin, `${row} button[value="disable"]`);
    expect(await browser.text(admin, '#flash')).toContain('Disabled new.engineer@example.test');
    await t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${session.body.token}`).expect(401);

    await submit(admin, `${row} button[value="enable"]`);
    await submit(admin, `${row} button[value="reset-password"]`);
    const reset = (await browser.text(admin, '#issued-password')).trim();
    const again = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: 'new.engineer@example.test', password: reset })
      .expect(200);
    expect(again.body.user.mustChangePassword).toBe(true);

    // An administrator cannot lock themselves out: their own row offers no change.
    expect(await admin.$(`tr[data-user-email="${t.users.admin.email}"] form`)).toBeNull();
    // Without users:read the page is refused in words.
    const engineer = await browser.openPage();
    await browser.signIn(engineer, t.users.engineer);
    expect((await engineer.goto(`${browser.base}/admin/users`))?.status()).toBe(403);
    expect(await browser.text(engineer, 'h1')).toContain('You do not have access');
  });

  it('lets a specialist open an audit with its period, sign off the assertion and request its pack', async () => {
    const specialist = await browser.openPage();
    await browser.signIn(specialist, t.users.governance_specialist, '/audits');
    expect(await browser.text(specialist, '#audits-empty')).toContain('No audits yet');
    await specialist.type('#name', 'FY2026 SOC 2 Type II');
    await specialist.click('input[name="type"][value="period"]');
    await setDate(specialist, '#periodStart', '2026-01-01');
    await setDate(specialist, '#periodEnd', '2026-06-30');
    await specialist.click(`input[name="systemIds"][value="${systemId}"]`);
    await specialist.click('input[name="frameworks"][value="soc2-tsc-2017"]');
    await specialist.click(`input[name="auditorIds"][value="${t.users.auditor.id}"]`);
    await submit(specialist, '#audit-form button[type=submit]');
    expect(new URL(specialist.url()).pathname).toMatch(/^\/audits\/[0-9a-f-]{36}$/);
    auditUrl = specialist.url();
    expect(await browser.text(specialist, '#flash')).toContain('Opened the audit');
    expect(await browser.text(specialist, '#audit-facts')).toContain('2026-01-01 to 2026-06-30');
    expect(await specialist.$eval('nav [aria-current="page"]', (a) => a.textContent)).toBe('Audits');
    const auditId = auditUrl.split('/').pop()!;
    const stored = (await t.http().get(`/api/v1/audits/${auditId}`).set(bearer(t.users.governance_specialist))).body;
    expect(stored).toMatchObject({
      type: 'period',
      periodStart: '2026-01-01T00:00:00.000Z',
      periodEnd: '2026-06-30T23:59:59.999Z',
      frameworks: ['soc2-tsc-2017'],
    });

    await specialist.type('#assertion', 'Management asserts that the controls were suitably designed.');
    await submit(specialist, '#assertion-form button[type=submit]');
    expect(await browser.text(specialist, '#assertion-unsigned')).toContain('Not signed off');
    await submit(specialist, '#sign-off');
    expect(await browser.text(specialist, '#assertion-signed')).toContain('Signed off by specialist');

    await submit(specialist, '#audit-pack-form button[type=submit]');
    expect(new URL(specialist.url()).pathname).toMatch(/^\/packs\/[0-9a-f-]{36}$/);
    const packs = await t.http().get(`/api/v1/packs?auditId=${auditId}`).set(bearer(t.users.governance_specialist));
    expect(packs.body.items).toHaveLength(1);
  });

  it('refuses an audit without systems in words, storing nothing', async () => {
    const specialist = await browser.openPage();
    await browser.signIn(specialist, t.users.governance_specialist, '/audits');
    await specialist.type('#name', 'Incomplete audit');
    await setDate(specialist, '#periodStart', '2026-01-01');
    await setDate(specialist, '#periodEnd', '2026-06-30');
    const refused = await submit(specialist, '#audit-form button[type=submit]');
    expect(refused?.status()).toBe(400);
    const message = await browser.text(specialist, '#form-errors');
    expect(message).toContain('AI systems: choose at least one');
    expect(message).toContain('Frameworks');
    expect(message).not.toContain('systemIds');
    const audits = await t.http().get('/api/v1/audits').set(bearer(t.users.governance_specialist)).expect(200);
    expect(audits.body.items.map((a: { name: string }) => a.name)).not.toContain('Incomplete audit');
  });

  it("shows the assigned auditor the audit with its packs and evidence, and no one else's", async () => {
    const auditor = await browser.openPage();
    await browser.signIn(auditor, t.users.auditor, '/audits');
    expect(await auditor.$('#audit-form')).toBeNull();
    await submit(auditor, '#audits-table a');
    expect(auditor.url()).toBe(auditUrl);
    expect(await auditor.$('#assertion-form')).toBeNull();
    expect(await auditor.$(`#audit-packs a[href^="/packs/"]`)).not.toBeNull();
    // The downloads go through the web routes that name the files after the audit and the as-of day.
    const [pdf] = await auditor.$$eval('#audit-packs a[href$="/pdf"]', (as) => as.map((a) => a.getAttribute('href')));
    const download = await auditor.evaluate(async (url) => {
      const response = await fetch(url!);
      return { status: response.status, name: response.headers.get('content-disposition') ?? '' };
    }, pdf);
    expect(download.status).toBe(200);
    expect(download.name).toMatch(/filename="fy2026-soc-2-type-ii-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}\.pdf"/);
    const link = await auditor.$eval('.audit-evidence a', (a) => a.getAttribute('href'));
    expect(link).toBe(`/evidence/${evidenceId}`);

    const outsider = await t.user('auditor', 'outsider');
    const other = await browser.openPage();
    await browser.signIn(other, outsider);
    expect((await other.goto(auditUrl))?.status()).toBe(404);
    await other.goto(`${browser.base}/audits`);
    expect(await browser.text(other, '#audits-empty')).toContain('No audit is assigned to you');
  });

  it('keeps the new pages accessible and without sideways scrolling at 1366 and 390 px', async () => {
    const admin = await browser.openPage();
    await browser.signIn(admin, t.users.admin, '/admin/users');
    const specialist = await browser.openPage();
    await browser.signIn(specialist, t.users.governance_specialist);
    const shoot = (page: Page, name: string) => browser.shot(page, name);
    const problems = [
      ...(await checkPageAtBothWidths(admin, `${browser.base}/admin/users`, shoot, 'admin-users')),
      ...(await checkPageAtBothWidths(admin, `${browser.base}/account/password`, shoot, 'account-password')),
      ...(await checkPageAtBothWidths(specialist, `${browser.base}/audits`, shoot, 'audits')),
      ...(await checkPageAtBothWidths(specialist, auditUrl, shoot, 'audit')),
    ];
    expect(problems).toEqual([]);
    browser.assertClean();
  });
});
