/// <reference lib="dom" />
import type { Page } from 'puppeteer';
import { BrowserSession, openBrowserSession } from '../factories/browser-session';
import { checkPageAtBothWidths } from '../factories/page-checks';
import { allFrameworksSystem, minimalSystem } from '../factories/systems';
import { bearer, startTestApp, TestApp } from '../factories/test-app';

const TIER_RANK: Record<string, number> = { prohibited: 0, high: 1, limited: 2, minimal: 3 };

/**
 * Issue 17 item 11 for AI systems and controls, in a real Chromium: systems by framework, ordered by risk tier and
 * paged; a system's controls by status, domain and owner, with the control matrix as a CSV download.
 */
describe('systems and controls lists: filters, order, paging (e2e)', () => {
  let t: TestApp;
  let browser: BrowserSession;
  let richSystem: string;

  const submit = (page: Page, selector: string) =>
    Promise.all([page.waitForNavigation(), page.click(selector)]).then(([response]) => response);
  const column = (page: Page, table: string, index: number) =>
    page.$$eval(`${table} tbody tr`, (trs, i) => trs.map((tr) => (tr.children[i]?.textContent ?? '').trim()), index);

  beforeAll(async () => {
    t = await startTestApp({ listen: true });
    browser = await openBrowserSession(t);
    const auth = bearer(t.users.governance_specialist);
    // 52 systems: two pages. Every fifth is high-risk by override, the rest take their computed tier.
    for (let i = 0; i < 52; i++) {
      const shape =
        i % 5 === 0
          ? minimalSystem({
              name: `System ${String(i).padStart(2, '0')}`,
              riskTierOverride: 'high',
              riskTierOverrideJustification: 'Decided by the AI board in review 7',
            })
          : minimalSystem({ name: `System ${String(i).padStart(2, '0')}` });
      await t.http().post('/api/v1/systems').set(auth).send(shape).expect(201);
    }
    richSystem = (
      await t
        .http()
        .post('/api/v1/systems')
        .set(auth)
        .send(allFrameworksSystem({ name: 'Clinical triage' }))
        .expect(201)
    ).body.id;
    await t
      .http()
      .patch(`/api/v1/systems/${richSystem}/controls/AIG-GOV-01`)
      .set(auth)
      .send({ status: 'in_progress' })
      .expect(200);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('orders AI systems by risk tier, pages them and filters by framework', async () => {
    const page = await browser.openPage();
    await browser.signIn(page, t.users.governance_specialist, '/systems');
    await page.select('#sort', 'risk');
    await submit(page, 'form.filters button[type=submit]');
    const tiers = await column(page, '#systems-table', 2);
    expect(tiers).toHaveLength(50);
    const ranks = tiers.map((tier) => TIER_RANK[tier]);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(tiers.slice(0, 11)).toEqual(Array(11).fill('high'));
    await submit(page, '#systems-next');
    expect(await column(page, '#systems-table', 2)).toHaveLength(3);

    await page.goto(`${browser.base}/systems`);
    await page.select('#framework', 'hipaa-security');
    await submit(page, 'form.filters button[type=submit]');
    expect(
      await page.$$eval('#systems-table tbody tr td:first-child > a', (as) => as.map((a) => a.textContent)),
    ).toEqual(['Clinical triage']);
  });

  it("filters a system's controls by status, domain and owner and downloads the control matrix", async () => {
    const page = await browser.openPage();
    await browser.signIn(page, t.users.governance_specialist, `/systems/${richSystem}/controls`);
    const all = (await page.$$('#controls-table tbody tr')).length;
    await page.select('#filter-status', 'in_progress');
    await submit(page, '#control-filters button[type=submit]');
    const inProgress = await page.$$eval('#controls-table tbody tr', (trs) => trs.map((tr) => tr.id));
    expect(inProgress).toEqual(['control-AIG-GOV-01']);
    expect(await browser.text(page, '#controls-summary')).toContain(`1 of ${all} controls match this filter`);

    await page.goto(`${browser.base}/systems/${richSystem}/controls`);
    const domain = await page.$eval('#filter-domain option:nth-child(2)', (o) => o.value);
    await page.select('#filter-domain', domain);
    await submit(page, '#control-filters button[type=submit]');
    const inDomain = (await page.$$('#controls-table tbody tr')).length;
    expect(inDomain).toBeGreaterThan(0);
    expect(inDomain).toBeLessThan(all);
    const controls = await t
      .http()
      .get(`/api/v1/systems/${richSystem}/controls`)
      .set(bearer(t.users.governance_specialist))
      .expect(200);
    expect(inDomain).toBe((controls.body as { domain: string }[]).filter((c) => c.domain === domain).length);

    const csv = await page.evaluate(
      async (url) => (await fetch(url)).text(),
      `${browser.base}/api/v1/systems/${richSystem}/controls?format=csv`,
    );
    expect(csv.trim().split('\r\n')).toHaveLength(all + 1);
    expect(await page.$eval('#controls-csv', (a) => a.getAttribute('href'))).toBe(
      `/api/v1/systems/${richSystem}/controls?format=csv`,
    );
    // The evidence register's button on the system page downloads the same list as the API.
    await page.goto(`${browser.base}/systems/${richSystem}`);
    const register = await page.$eval('#evidence-csv', (a) => (a as HTMLAnchorElement).href);
    const registerCsv = await page.evaluate(async (url) => (await fetch(url)).text(), register);
    expect(registerCsv.split('\r\n')[0]).toContain('sha256');
  });

  it('keeps the lists accessible and without sideways scrolling at 1366 and 390 px', async () => {
    const page = await browser.openPage();
    await browser.signIn(page, t.users.governance_specialist, '/systems');
    const shoot = (p: Page, name: string) => browser.shot(p, name);
    const problems = [
      ...(await checkPageAtBothWidths(page, `${browser.base}/systems?sort=risk`, shoot, 'systems-sorted')),
      ...(await checkPageAtBothWidths(
        page,
        `${browser.base}/systems/${richSystem}/controls?status=not_started`,
        shoot,
        'controls-filtered',
      )),
      ...(await checkPageAtBothWidths(
        page,
        `${browser.base}/systems/${richSystem}/coverage/gdpr?status=gap`,
        shoot,
        'coverage-gaps',
      )),
    ];
    expect(problems).toEqual([]);
    browser.assertClean();
  });
});
