/// <reference lib="dom" />
import type { Page } from 'puppeteer';
import { sha256Hex } from '../../src/common/canonical-json';
import { ApiTokenEntity } from '../../src/tokens/entities/api-token.entity';
import { BrowserSession, openBrowserSession } from '../factories/browser-session';
import { checkPageAtBothWidths } from '../factories/page-checks';
import { minimalSystem } from '../factories/systems';
import { bearer, startTestApp, TestApp } from '../factories/test-app';

/**
 * Issue 20.1 in a real Chromium, through the UI alone: a specialist creates a token for one system with one
 * permission, copies it from the page that shows it once, the token reads the API (and only that system), and the
 * revoke button stops it. An engineer (no tokens:manage) has no such page.
 */
describe('API tokens page (e2e)', () => {
  let t: TestApp;
  let browser: BrowserSession;
  let systemA: string;
  let systemB: string;

  const submit = (page: Page, selector: string) =>
    Promise.all([page.waitForNavigation(), page.click(selector)]).then(([response]) => response);

  beforeAll(async () => {
    t = await startTestApp({ listen: true });
    browser = await openBrowserSession(t);
    const specialist = bearer(t.users.governance_specialist);
    systemA = (
      await t
        .http()
        .post('/api/v1/systems')
        .set(specialist)
        .send(minimalSystem({ name: 'Fraud model' }))
        .expect(201)
    ).body.id;
    systemB = (
      await t
        .http()
        .post('/api/v1/systems')
        .set(specialist)
        .send(minimalSystem({ name: 'Chat assistant' }))
        .expect(201)
    ).body.id;
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('creates a token shown once, which reads only its system, and revokes it', async () => {
    const page = await browser.openPage();
    await browser.signIn(page, t.users.governance_specialist, '/tokens');
    expect(await page.$('#nav-tokens')).not.toBeNull();

    // A name is required: the form says so and nothing is stored.
    await page.click('#perm-systems-read');
    const refused = await submit(page, '#token-form button[type=submit]');
    expect(refused?.status()).toBe(400);
    expect(await browser.text(page, '#form-errors')).toContain('name');
    expect(await t.dataSource.getRepository(ApiTokenEntity).count()).toBe(0);

    await page.type('#name', 'Nightly evaluation');
    // The refused form kept the ticked permission.
    expect(await page.$eval('#perm-systems-read', (el) => (el as HTMLInputElement).checked)).toBe(true);
    await page.click(`input[name="systemIds"][value="${systemA}"]`);
    await page.$eval('#expiresInDays', (el) => ((el as HTMLInputElement).value = '30'));
    const created = await submit(page, '#token-form button[type=submit]');
    expect(created?.status()).toBe(201);
    const token = await page.$eval('#issued-token', (el) => (el as HTMLInputElement).value);
    expect(token).toMatch(/^wbt_[A-Za-z0-9_-]{43}$/);
    await browser.shot(page, 'tokens-created');

    const row = await t.dataSource.getRepository(ApiTokenEntity).findOneByOrFail({ name: 'Nightly evaluation' });
    expect(row.tokenHash).toBe(sha256Hex(token));
    expect(JSON.parse(row.permissions)).toEqual(['systems:read']);
    expect(JSON.parse(row.systemIds!)).toEqual([systemA]);
    expect(Date.parse(row.expiresAt) - Date.parse(row.createdAt)).toBe(30 * 24 * 3600 * 1000);

    const auth = { Authorization: `Bearer ${token}` };
    await t.http().get(`/api/v1/systems/${systemA}`).set(auth).expect(200);
    await t.http().get(`/api/v1/systems/${systemB}`).set(auth).expect(404);

    // The list (after a reload the token is no longer on the page) shows the use.
    await page.goto(`${browser.base}/tokens`);
    expect(await page.$('#issued-token')).toBeNull();
    expect(await page.content()).not.toContain(token);
    const listed = await browser.text(page, 'tr[data-token-name="Nightly evaluation"]');
    expect(listed).toContain('systems:read');
    expect(listed).toContain('Fraud model');
    expect(listed).not.toContain('never');

    const revoked = await submit(page, 'tr[data-token-name="Nightly evaluation"] button[type=submit]');
    expect(revoked?.url()).toBe(`${browser.base}/tokens`);
    expect(await browser.text(page, '#flash')).toContain('Revoked');
    expect(await browser.text(page, 'tr[data-token-name="Nightly evaluation"]')).toContain('revoked');
    await browser.shot(page, 'tokens-revoked');
    await t.http().get(`/api/v1/systems/${systemA}`).set(auth).expect(401);

    const problems = await checkPageAtBothWidths(
      page,
      `${browser.base}/tokens`,
      (p, name) => browser.shot(p, name),
      'tokens',
    );
    expect(problems).toEqual([]);
    browser.assertClean();
  });

  it('is not offered to a role without tokens:manage', async () => {
    const page = await browser.openPage();
    await browser.signIn(page, t.users.engineer);
    expect(await page.$('#nav-tokens')).toBeNull();
    const response = await page.goto(`${browser.base}/tokens`);
    expect(response?.status()).toBe(403);
  });
});
