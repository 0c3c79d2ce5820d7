/// <reference lib="dom" />
import type { Page } from 'puppeteer';
import { BrowserSession, openBrowserSession } from '../factories/browser-session';
import { checkPageAtBothWidths } from '../factories/page-checks';
import { minimalSystem } from '../factories/systems';
import { bearer, startTestApp, TestApp } from '../factories/test-app';

const PRIORITIES = ['low', 'medium', 'high', 'critical'];
const RANK: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3 };

/**
 * Issue 17 item 11 for tasks, in a real Chromium: filter by system, assignee and priority, order by priority, page
 * through 50 at a time, the assignee shown, and a CSV download of exactly the filtered list. The API's priority
 * filter and orders are checked beside it.
 */
describe('tasks list: filters, order, paging and CSV (e2e)', () => {
  let t: TestApp;
  let browser: BrowserSession;
  const systems: string[] = [];

  const submit = (page: Page, selector: string) =>
    Promise.all([page.waitForNavigation(), page.click(selector)]).then(([response]) => response);
  const rows = (page: Page) =>
    page.$$eval('#tasks-table tbody tr', (trs) =>
      trs.map((tr) => Array.from(tr.children).map((cell) => (cell.textContent ?? '').trim())),
    );

  beforeAll(async () => {
    t = await startTestApp({ listen: true });
    browser = await openBrowserSession(t);
    const specialist = bearer(t.users.governance_specialist);
    for (const name of ['Alpha screener', 'Bravo summariser']) {
      systems.push(
        (await t.http().post('/api/v1/systems').set(specialist).send(minimalSystem({ name })).expect(201)).body.id,
      );
    }
    // 60 tasks on Alpha (so two pages), 4 on Bravo; every fourth Alpha task assigned to the engineer by name.
    for (let i = 0; i < 64; i++) {
      const onAlpha = i < 60;
      await t
        .http()
        .post('/api/v1/tasks')
        .set(specialist)
        .send({
          systemId: onAlpha ? systems[0] : systems[1],
          kind: 'remediation',
          title: `Task ${String(i).padStart(2, '0')}`,
          assigneeRole: 'engineer',
          ...(onAlpha && i % 4 === 0 ? { assigneeUserId: t.users.engineer.id } : {}),
          priority: PRIORITIES[i % 4],
          dueDate: `2027-0${1 + (i % 9)}-1${i % 10}`,
        })
        .expect(201);
    }
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('filters, orders by priority and pages through the list in the browser', async () => {
    const page = await browser.openPage();
    await browser.signIn(page, t.users.governance_specialist, '/tasks');
    expect(await browser.text(page, '#tasks-summary')).toContain('64 tasks');
    await page.select('#filter-system', systems[0]);
    await page.select('#filter-sort', 'priority');
    await submit(page, '#task-filters button[type=submit]');
    expect(await browser.text(page, '#tasks-summary')).toContain('60 tasks match this filter · page 1 of 2');
    const first = await rows(page);
    expect(first).toHaveLength(50);
    const priorityColumn = 5;
    const ranks = first.map((r) => RANK[r[priorityColumn]]);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(first.every((r) => r[1] === 'Alpha screener')).toBe(true);
    await submit(page, '#tasks-next');
    const second = await rows(page);
    expect(second).toHaveLength(10);
    expect(second.every((r) => r[priorityColumn] === 'low')).toBe(true);
    expect(await page.$('#tasks-next')).toBeNull();
    expect(await page.$('#tasks-prev')).not.toBeNull();

    await page.select('#filter-assignee', t.users.engineer.id);
    await page.select('#filter-priority', 'low');
    await submit(page, '#task-filters button[type=submit]');
    const mine = await rows(page);
    // Tasks 0, 4, 8, ... are the engineer's, and i % 4 === 0 makes all of them low priority: 15 of them.
    expect(mine).toHaveLength(15);
    expect(mine.every((r) => r[2] === 'engineer' && r[priorityColumn] === 'low')).toBe(true);
    await browser.shot(page, 'tasks-filtered');

    const csvUrl = await page.$eval('#tasks-csv', (a) => (a as HTMLAnchorElement).href);
    const csv = await page.evaluate(async (url) => (await fetch(url, { credentials: 'same-origin' })).text(), csvUrl);
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toContain('priority');
    expect(lines.slice(1)).toHaveLength(15);
    expect(lines.slice(1).every((line) => line.includes(',low,') && line.includes(t.users.engineer.id))).toBe(true);
  });

  it('answers the API with the priority filter and each order', async () => {
    const auth = bearer(t.users.governance_specialist);
    const critical = await t.http().get('/api/v1/tasks?priority=critical&limit=500').set(auth).expect(200);
    expect(critical.body.total).toBe(16);
    expect(critical.body.items.every((x: { priority: string }) => x.priority === 'critical')).toBe(true);
    const byPriority = await t.http().get('/api/v1/tasks?sort=priority&limit=500').set(auth).expect(200);
    const ranks = byPriority.body.items.map((x: { priority: string }) => RANK[x.priority]);
    expect(ranks).toEqual([...ranks].sort((a: number, b: number) => a - b));
    const byDue = await t.http().get('/api/v1/tasks?sort=due&limit=500').set(auth).expect(200);
    const due = byDue.body.items.map((x: { dueDate: string }) => x.dueDate);
    expect(due).toEqual([...due].sort());
    const newest = await t.http().get('/api/v1/tasks?sort=created&limit=500').set(auth).expect(200);
    const created = newest.body.items.map((x: { createdAt: string }) => x.createdAt);
    expect(created).toEqual([...created].sort().reverse());
    expect(newest.body.items[0].title).not.toBe('Task 00');
    await t.http().get('/api/v1/tasks?sort=random').set(auth).expect(400);
    await t.http().get('/api/v1/tasks?priority=urgent').set(auth).expect(400);
  });

  it('keeps the filtered list accessible and without sideways scrolling at 1366 and 390 px', async () => {
    const page = await browser.openPage();
    await browser.signIn(page, t.users.governance_specialist, '/tasks');
    const problems = await checkPageAtBothWidths(
      page,
      `${browser.base}/tasks?systemId=${systems[0]}&sort=priority`,
      (p, name) => browser.shot(p, name),
      'tasks-list',
    );
    expect(problems).toEqual([]);
    browser.assertClean();
  });
});
