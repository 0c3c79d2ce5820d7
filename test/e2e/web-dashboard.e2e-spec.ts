/// <reference lib="dom" />
import type { Page } from 'puppeteer';
import { BrowserSession, openBrowserSession } from '../factories/browser-session';
import { checkPageAtBothWidths } from '../factories/page-checks';
import { allFrameworksSystem, minimalSystem } from '../factories/systems';
import { bearer, startTestApp, TestApp } from '../factories/test-app';

/**
 * Issue 17 item 10 in a real Chromium: the specialist's dashboard puts risk first (counts per tier that open the
 * filtered list), shows coverage per framework over all systems with its trend from a daily snapshot per system and
 * framework, and the evidence that expires within 30 days.
 */
describe('specialist dashboard (e2e)', () => {
  let t: TestApp;
  let browser: BrowserSession;
  let clinical: string;
  let expiringId: string;

  const submit = (page: Page, selector: string) =>
    Promise.all([page.waitForNavigation(), page.click(selector)]).then(([response]) => response);

  beforeAll(async () => {
    t = await startTestApp({ listen: true });
    browser = await openBrowserSession(t);
    const auth = bearer(t.users.governance_specialist);
    clinical = (await t.http().post('/api/v1/systems').set(auth).send(allFrameworksSystem()).expect(201)).body.id;
    for (const name of ['Chat helper', 'Search ranker'])
      await t.http().post('/api/v1/systems').set(auth).send(minimalSystem({ name })).expect(201);
    const day = 86_400_000;
    const upload = async (title: string, validInDays: number) =>
      (
        await t
          .http()
          .post(`/api/v1/systems/${clinical}/evidence`)
          .set(bearer(t.users.engineer))
          .field('controlCodes[]', 'AIG-GOV-01')
          .field('title', title)
          .field('kind', 'document')
          .field('collectedAt', new Date(Date.now() - day).toISOString())
          .field('validUntil', new Date(Date.now() + validInDays * day).toISOString())
          .attach('file', Buffer.from(`%PDF-1.4\n% ${title}\n%%EOF\n`), {
            filename: 'p.pdf',
            contentType: 'application/pdf',
          })
          .expect(201)
      ).body.id as string;
    expiringId = await upload('Policy expiring soon', 10);
    const later = await upload('Policy valid for long', 200);
    for (const id of [expiringId, later])
      await t.http().post(`/api/v1/evidence/${id}/review`).set(auth).send({ decision: 'accepted' }).expect(200);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('puts risk first, shows coverage per framework with its trend, and the evidence expiring within 30 days', async () => {
    const page = await browser.openPage();
    await browser.signIn(page, t.users.governance_specialist);
    const systems = await t.http().get('/api/v1/systems').set(bearer(t.users.governance_specialist)).expect(200);
    const tiers = (systems.body.items as { riskTier: string }[]).map((s) => s.riskTier);
    for (const tier of ['high', 'minimal'])
      expect(await browser.text(page, `#tier-counts a[href="/systems?riskTier=${tier}"]`)).toBe(
        `${tiers.filter((x) => x === tier).length} ${tier}`,
      );

    // Coverage per framework equals the coverage API summed over the systems.
    const perFramework = new Map<string, { applicable: number; covered: number }>();
    for (const s of systems.body.items as { id: string }[]) {
      const coverage = await t
        .http()
        .get(`/api/v1/systems/${s.id}/coverage`)
        .set(bearer(t.users.governance_specialist))
        .expect(200);
      for (const f of coverage.body.frameworks as {
        framework: string;
        applies: boolean;
        applicable: number;
        covered: number;
      }[]) {
        if (!f.applies) continue;
        const sum = perFramework.get(f.framework) ?? { applicable: 0, covered: 0 };
        perFramework.set(f.framework, { applicable: sum.applicable + f.applicable, covered: sum.covered + f.covered });
      }
    }
    const shown = await page.$$eval('#framework-coverage tbody tr', (trs) =>
      trs.map((tr) => [tr.getAttribute('data-framework'), tr.querySelector('td.num')?.textContent?.trim()]),
    );
    expect(new Set(shown.map(([f]) => f))).toEqual(new Set(perFramework.keys()));
    for (const [framework, percent] of shown) {
      const sum = perFramework.get(framework!)!;
      expect(percent).toBe(sum.applicable ? `${Math.round((sum.covered / sum.applicable) * 100)}%` : 'n/a');
    }

    expect(await page.$$eval('#expiring-evidence a', (as) => as.map((a) => a.getAttribute('href')))).toEqual([
      `/evidence/${expiringId}`,
    ]);
    await browser.shot(page, 'dashboard-specialist');

    await submit(page, '#tier-counts a[href="/systems?riskTier=high"]');
    expect(new URL(page.url()).search).toBe('?riskTier=high');
  });

  it('keeps one snapshot per day, system and framework, and draws the days it has', async () => {
    const rows = async () =>
      Number((await t.dataSource.query<{ n: string | number }[]>('SELECT COUNT(*) AS n FROM coverage_snapshots'))[0].n);
    const first = await rows();
    expect(first).toBeGreaterThan(0);
    const page = await browser.openPage();
    await browser.signIn(page, t.users.governance_specialist);
    await page.goto(`${browser.base}/`);
    expect(await rows()).toBe(first);
    // An earlier day (as the daily snapshot would have left it): the trend line gains a point for that day.
    const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
    await t.dataSource.query(
      `INSERT INTO coverage_snapshots ("day", "systemId", "framework", "applicable", "covered", "partial", "gap")
       SELECT '${tenDaysAgo}', "systemId", "framework", "applicable", 0, 0, "applicable" FROM coverage_summaries`,
    );
    await page.goto(`${browser.base}/`);
    const points = await page.$eval(
      '#framework-coverage tr[data-framework="nist-ai-rmf-1.0"] polyline',
      (p) => p.getAttribute('points') ?? '',
    );
    expect(points.split(' ')).toHaveLength(2);
    const label = await page.$eval(
      '#framework-coverage tr[data-framework="nist-ai-rmf-1.0"] svg.spark',
      (s) => s.getAttribute('aria-label') ?? '',
    );
    expect(label).toContain(`2 day(s) since ${tenDaysAgo}`);
    const problems = await checkPageAtBothWidths(page, `${browser.base}/`, (p, n) => browser.shot(p, n), 'dashboard');
    expect(problems).toEqual([]);
    browser.assertClean();
  });
});
