/// <reference lib="dom" />
import * as fs from 'node:fs';
import * as path from 'node:path';
import puppeteer, { Page } from 'puppeteer';
import { TEST_PASSWORD, TestApp, TestUser } from './test-app';

const SCREENSHOTS = path.join(process.cwd(), 'test-artifacts', 'screenshots');
const CHROMIUM = ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium'].find((p) => fs.existsSync(p));

/** A real Chromium driving a listening test app, for the browser tests; one per test file. */
export interface BrowserSession {
  /** The app's origin, e.g. http://127.0.0.1:41234. */
  base: string;
  /** A fresh browser context per journey, so each user has their own cookie jar. */
  openPage(): Promise<Page>;
  signIn(page: Page, user: TestUser, next?: string): Promise<void>;
  text(page: Page, selector: string): Promise<string>;
  shot(page: Page, name: string): Promise<unknown>;
  /** Every page opened so far: the CSP (no inline script or style) never had to block anything, and no script failed. */
  assertClean(): void;
  close(): Promise<void>;
}

export async function openBrowserSession(t: TestApp): Promise<BrowserSession> {
  const base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const browser = await puppeteer.launch({
    headless: true,
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  const cspViolations: string[] = [];
  const pageErrors: string[] = [];
  return {
    base,
    async openPage() {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      page.setDefaultTimeout(15000);
      await page.setViewport({ width: 1366, height: 900 });
      page.on('console', (message) => {
        if (/Content[- ]Security[- ]Policy|Refused to (execute|apply|load|connect)/i.test(message.text()))
          cspViolations.push(message.text());
      });
      page.on('pageerror', (error) => pageErrors.push(String(error)));
      return page;
    },
    async signIn(page, user, next = '/') {
      await page.goto(`${base}/login?next=${encodeURIComponent(next)}`);
      await page.type('#email', user.email);
      await page.type('#password', TEST_PASSWORD);
      await Promise.all([page.waitForNavigation(), page.click('form[action="/login"] button[type=submit]')]);
    },
    text: (page, selector) => page.$eval(selector, (el) => el.textContent ?? ''),
    shot: (page, name) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true }),
    assertClean() {
      expect(cspViolations).toEqual([]);
      expect(pageErrors).toEqual([]);
    },
    close: () => browser.close(),
  };
}
