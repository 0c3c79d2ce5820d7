/// <reference lib="dom" />
import * as fs from 'node:fs';
import type { Page } from 'puppeteer';

// Evaluated through the DevTools protocol, which the page's CSP (script-src 'self') does not govern.
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's violations on the page as it stands, "rule-id: target" each (empty when clean). */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } }).axe;
    const results = await axe.run(document, { resultTypes: ['violations'] });
    return results.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
  });
}

interface AxeResults {
  violations: Array<{ id: string; nodes: Array<{ target: string[] }> }>;
}

/** How wide the page is drawn: more than the viewport means it scrolls sideways (WCAG 1.4.10 at 390 px). */
export function scrollWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

/**
 * Opens the address at 1366 px and at 390 px: no axe violation at either width, no sideways scroll at 390 px, a
 * screenshot of each. Returns the problems found, so one expectation shows all of them.
 */
export async function checkPageAtBothWidths(
  page: Page,
  url: string,
  shot: (page: Page, name: string) => Promise<unknown>,
  name: string,
): Promise<string[]> {
  const problems: string[] = [];
  for (const width of [1366, 390]) {
    await page.setViewport({ width, height: width === 390 ? 844 : 900 });
    await page.goto(url);
    for (const violation of await axeViolations(page)) problems.push(`${name} @${width}: ${violation}`);
    if (width === 390) {
      const wide = await scrollWidth(page);
      if (wide > 390) problems.push(`${name} @390: scrollWidth ${wide}`);
    }
    await shot(page, `${name}-${width}`);
  }
  await page.setViewport({ width: 1366, height: 900 });
  return problems;
}
