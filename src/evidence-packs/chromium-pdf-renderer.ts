import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import puppeteer, { Browser } from 'puppeteer';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { DomainError } from '../common/domain-errors';
import { locateBrowser } from './browser-locator';

export interface PdfRenderOptions {
  timeoutMs: number;
  /** Footer text printed beside the page number on every page. */
  footer: string;
  outline: boolean;
}

export interface RenderedPdf {
  pdf: Buffer;
  ms: number;
}

/** Renders our own HTML to PDF. Behind an interface so services can be tested with a double; the real one is tested too. */
export interface PdfRenderer {
  render(html: string, options: PdfRenderOptions): Promise<RenderedPdf>;
  status(): Promise<{ status: 'up' | 'down'; executable: string | null; version?: string; error?: string }>;
}

export const PDF_RENDERER = Symbol('PDF_RENDERER');

// As root Chromium needs --no-sandbox, which makes the in-page defences below (no JavaScript, no network, CSP,
// fresh context) the ones that matter. The networking flags stop Chromium's own background calls.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--disable-gpu',
  '--no-first-run',
  '--mute-audio',
];

/**
 * One warm Chromium per process, a fresh incognito context per job, restarted after a number of jobs or when it
 * dies. Each page has JavaScript disabled before its content is set and every network request aborted; packs inline
 * all their assets.
 */
@Injectable()
export class ChromiumPdfRenderer implements PdfRenderer, OnModuleDestroy {
  private readonly logger = new Logger('PdfRenderer');
  private browser?: Promise<Browser>;
  private jobsOnBrowser = 0;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  private executable(): string {
    const path = locateBrowser(this.config.browserPath);
    if (!path) {
      throw new DomainError(
        'overloaded',
        'No Chromium found for PDF rendering: install Debian\'s chromium-headless-shell or chromium, or set PUPPETEER_EXECUTABLE_PATH',
        undefined,
        60,
      );
    }
    return path;
  }

  private async getBrowser(): Promise<Browser> {
    if (this.browser && this.jobsOnBrowser >= this.config.browserRecycleAfter) await this.close();
    if (!this.browser) {
      const executablePath = this.executable();
      this.jobsOnBrowser = 0;
      this.browser = puppeteer
        .launch({ executablePath, headless: true, args: CHROMIUM_ARGS, pipe: true })
        .then((browser) => {
          browser.on('disconnected', () => {
            this.logger.warn('Chromium disconnected; the next job starts a new one');
            this.browser = undefined;
          });
          return browser;
        });
      this.browser.catch(() => (this.browser = undefined));
    }
    return this.browser;
  }

  async render(html: string, options: PdfRenderOptions): Promise<RenderedPdf> {
    const started = Date.now();
    const browser = await this.getBrowser();
    this.jobsOnBrowser++;
    const context = await browser.createBrowserContext();
    let timer: NodeJS.Timeout | undefined;
    try {
      const work = (async () => {
        const page = await context.newPage();
        await page.setJavaScriptEnabled(false);
        await page.setRequestInterception(true);
        page.on('request', (request) => {
          // The document itself arrives through setContent; anything else (images, frames, fonts) is refused.
          request.abort('blockedbyclient').catch(() => undefined);
        });
        await page.setContent(html, { waitUntil: 'load', timeout: options.timeoutMs });
        const pdf = await page.pdf({
          format: 'A4',
          printBackground: true,
          margin: { top: '18mm', bottom: '18mm', left: '14mm', right: '14mm' },
          displayHeaderFooter: true,
          headerTemplate: '<span></span>',
          footerTemplate: `<div style="font-size:8px;width:100%;padding:0 14mm;color:#555;display:flex;justify-content:space-between"><span>${escapeHtml(options.footer)}</span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
          outline: options.outline,
          tagged: options.outline,
          timeout: options.timeoutMs,
        });
        return Buffer.from(pdf);
      })();
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`rendering took longer than ${options.timeoutMs} ms`)), options.timeoutMs);
      });
      const pdf = await Promise.race([work, timeout]);
      return { pdf, ms: Date.now() - started };
    } finally {
      clearTimeout(timer);
      await context.close().catch(() => undefined);
    }
  }

  async status() {
    const executable = locateBrowser(this.config.browserPath);
    if (!executable) return { status: 'down' as const, executable: null, error: 'no Chromium installed' };
    try {
      const browser = await this.getBrowser();
      return { status: 'up' as const, executable, version: await browser.version() };
    } catch (error) {
      return { status: 'down' as const, executable, error: (error as Error).message };
    }
  }

  async close(): Promise<void> {
    const browser = this.browser;
    this.browser = undefined;
    if (browser) await (await browser.catch(() => undefined))?.close().catch(() => undefined);
  }

  async onModuleDestroy(): Promise<void> {
    await this.close();
  }
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
