import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import puppeteer, { Browser, BrowserContext } from 'puppeteer';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { DomainError } from '../common/domain-errors';
import { locateBrowser } from './browser-locator';
import { addOutline, outlineFromHtml } from './pdf-outline';

export interface PdfRenderOptions {
  timeoutMs: number;
  /** Footer text printed beside the page number on every page. */
  footer: string;
  /** Bookmarks for every <h1 id>/<h2 id> that a link in the document points at (see pdf-outline.ts). */
  outline: boolean;
  /**
   * Aborts the render: the promise rejects with the signal's reason, and only once the page work has stopped (its
   * context is closed), so a caller never has two renders running at once by accident.
   */
  signal?: AbortSignal;
}

export interface RenderedPdf {
  pdf: Buffer;
  ms: number;
  pages: number;
}

/** A document to print and the footer for its pages. */
export interface PdfDocument {
  html: string;
  footer: string;
}

/** Renders our own HTML to PDF. Behind an interface so services can be tested with a double; the real one is tested too. */
export interface PdfRenderer {
  render(html: string, options: PdfRenderOptions): Promise<RenderedPdf>;
  /**
   * render() for a document still being built: the job's fresh context and page are opened at once and the print
   * starts when `document` resolves, so Chromium's page set-up runs beside the pack's assembly rather than after it.
   * A rejected `document` closes the context and rejects with its error. Optional: callers fall back to render().
   */
  renderWhenBuilt?(document: Promise<PdfDocument>, options: Omit<PdfRenderOptions, 'footer'>): Promise<RenderedPdf>;
  /** The last known state, without launching anything: a health probe must never start a browser. */
  status(): RendererStatus;
}

export interface RendererStatus {
  status: 'up' | 'down';
  /** not_started: found, launches on the first pack; running; failed: the last launch failed or it disconnected; closed: shutting down. */
  state: 'not_started' | 'running' | 'failed' | 'missing' | 'closed';
  executable: string | null;
  version?: string;
  error?: string;
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

/** A launched (or launching) Chromium and the jobs currently running on it. */
interface BrowserSlot {
  browser: Promise<Browser>;
  inFlight: number;
  /** Set when the slot was recycled or is closing: the disconnect that follows is deliberate. */
  retired: boolean;
}

/**
 * One warm Chromium per process, a fresh incognito context per job, replaced after a number of jobs or when it
 * dies. A replaced browser is set aside and closed only once its last in-flight job is done, so overlapping renders
 * never lose their browser and no Chromium outlives the renderer. Each page has JavaScript disabled before its
 * content is set and every network request aborted; packs inline all their assets.
 */
@Injectable()
export class ChromiumPdfRenderer implements PdfRenderer, OnApplicationShutdown {
  private readonly logger = new Logger('PdfRenderer');
  private current?: BrowserSlot;
  private readonly retired = new Set<BrowserSlot>();
  /** Contexts of finished jobs still closing. */
  private readonly closing = new Set<Promise<void>>();
  private jobsOnBrowser = 0;
  private closed = false;
  /** What the last launch gave: reported by status() so health probes never launch Chromium themselves. */
  private lastLaunch?: { version: string } | { error: string };

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  private executable(): string {
    const path = locateBrowser(this.config.browserPath);
    if (!path) {
      throw new DomainError(
        'overloaded',
        "No Chromium found for PDF rendering: install Debian's chromium-headless-shell or chromium, or set PUPPETEER_EXECUTABLE_PATH",
        undefined,
        60,
      );
    }
    return path;
  }

  /**
   * Synchronous on purpose: the recycle decision and the job count happen before any await, so two overlapping
   * calls can never both decide to recycle, nor start a job on a browser that is being closed.
   */
  private acquireSlot(): BrowserSlot {
    // After close() nothing may start a browser again: it would outlive the process's shutdown.
    if (this.closed) throw new DomainError('overloaded', 'The PDF renderer is shutting down', undefined, 30);
    if (this.current && this.jobsOnBrowser >= this.config.browserRecycleAfter) {
      const old = this.current;
      old.retired = true;
      this.current = undefined;
      this.retired.add(old);
      if (old.inFlight === 0) void this.closeSlot(old);
    }
    if (!this.current) this.current = this.launch();
    this.jobsOnBrowser++;
    this.current.inFlight++;
    return this.current;
  }

  private launch(): BrowserSlot {
    const executablePath = this.executable();
    this.jobsOnBrowser = 0;
    const slot: BrowserSlot = { inFlight: 0, retired: false, browser: undefined as unknown as Promise<Browser> };
    slot.browser = puppeteer
      .launch({ executablePath, headless: true, args: CHROMIUM_ARGS, pipe: true })
      .then(async (browser) => {
        this.lastLaunch = { version: await browser.version() };
        browser.on('disconnected', () => {
          if (!slot.retired) {
            this.logger.warn('Chromium disconnected; the next job starts a new one');
            this.lastLaunch = { error: 'Chromium disconnected; the next pack starts a new one' };
          }
          // Only forget the browser if a newer one has not already taken its place.
          if (this.current === slot) this.current = undefined;
        });
        return browser;
      });
    slot.browser.catch((error: Error) => {
      this.lastLaunch = { error: error.message };
      if (this.current === slot) this.current = undefined;
    });
    return slot;
  }

  private releaseSlot(slot: BrowserSlot): void {
    slot.inFlight--;
    if (slot.retired && slot.inFlight === 0) void this.closeSlot(slot);
  }

  private async closeSlot(slot: BrowserSlot): Promise<void> {
    slot.retired = true;
    this.retired.delete(slot);
    const browser = await slot.browser.catch(() => undefined);
    await browser?.close().catch(() => undefined);
  }

  /** Returns once the job's context is closed. */
  render(html: string, options: PdfRenderOptions): Promise<RenderedPdf> {
    return this.print(Promise.resolve({ html, footer: options.footer }), options, false);
  }

  /** Returns as soon as the PDF is in hand; the job's context closes behind it (the next job's waits for that). */
  renderWhenBuilt(document: Promise<PdfDocument>, options: Omit<PdfRenderOptions, 'footer'>): Promise<RenderedPdf> {
    return this.print(document, options, true);
  }

  private async print(
    document: Promise<PdfDocument>,
    options: Omit<PdfRenderOptions, 'footer'>,
    closeBehind: boolean,
  ): Promise<RenderedPdf> {
    const started = Date.now();
    // Handled here at once: the document may fail while the page is still being opened, before anything awaits it.
    document.catch(() => undefined);
    const timeout = new AbortController();
    // The time cap counts from the document's arrival: the print's budget, as when render() was handed the HTML.
    let timer: NodeJS.Timeout | undefined;
    let finished = false;
    const startTimer = () => {
      if (finished) return;
      timer = setTimeout(
        () => timeout.abort(new Error(`rendering took longer than ${options.timeoutMs} ms`)),
        options.timeoutMs,
      );
    };
    void document.then(startTimer, () => undefined);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout.signal]) : timeout.signal;
    let slot: BrowserSlot | undefined;
    let context: BrowserContext | undefined;
    // Closing the context ends its page's pending protocol calls, which is what stops a print midway.
    const closeContext = () => context?.close().catch(() => undefined);
    const onAbort = () => void closeContext();
    signal.addEventListener('abort', onAbort, { once: true });
    let work: Promise<Buffer> | undefined;
    let printed = false;
    try {
      signal.throwIfAborted();
      const acquired = (slot = this.acquireSlot());
      work = (async () => {
        const browser = await acquired.browser;
        // The contexts of jobs that finished just before are closed first, so jobs never pile up contexts.
        await Promise.all(this.closing);
        signal.throwIfAborted();
        context = await browser.createBrowserContext();
        signal.throwIfAborted();
        const page = await context.newPage();
        await page.setJavaScriptEnabled(false);
        await page.setRequestInterception(true);
        page.on('request', (request) => {
          // The document itself arrives through setContent; anything else (images, frames, fonts) is refused.
          request.abort('blockedbyclient').catch(() => undefined);
        });
        const { html, footer } = await document;
        signal.throwIfAborted();
        await page.setContent(withFooter(html, footer), { waitUntil: 'load', timeout: options.timeoutMs });
        const pdf = Buffer.from(
          await page.pdf({ ...PDF_OPTIONS, tagged: this.config.packTaggedPdf, timeout: options.timeoutMs }),
        );
        signal.throwIfAborted();
        return options.outline ? addOutline(pdf, outlineFromHtml(html)) : pdf;
      })();
      const pdf = await Promise.race([work, rejectOnAbort(signal)]);
      const pages = countPdfPages(pdf);
      if (pages > this.config.packMaxPages) {
        throw new Error(
          `the pack has ${pages} pages, more than the limit of ${this.config.packMaxPages} (WORKBENCH_PACK_MAX_PAGES)`,
        );
      }
      printed = true;
      return { pdf, ms: Date.now() - started, pages };
    } catch (error) {
      // Puppeteer's "Target closed" after an abort is a consequence; the abort's reason says what happened.
      throw signal.aborted ? signal.reason : error;
    } finally {
      finished = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      if (work && signal.aborted) {
        // A context the job creates after this point is closed as soon as it exists (the job stops before a page).
        void work.catch(() => undefined).then(closeContext);
        await this.closedWithin(closeContext(), slot!);
      } else if (closeBehind && printed && slot) {
        // The PDF is in hand: its context closes behind the answer (the next job's context waits for it, and the
        // browser is released, so possibly recycled, only once it has).
        const held = slot;
        const closing: Promise<void> = Promise.resolve(closeContext()).then(() => {
          this.closing.delete(closing);
          this.releaseSlot(held);
        });
        this.closing.add(closing);
        slot = undefined;
      } else {
        // A failed job (its document, the page or the print): its page work ends, then its context closes.
        await work?.catch(() => undefined);
        await closeContext();
      }
      if (slot) this.releaseSlot(slot);
    }
  }

  /**
   * An aborted job returns once its context is closed: that ends its page work in Chromium, whatever Puppeteer's
   * JavaScript side still waits for (a newPage() cut off this way waits 30 s for its target). A browser that does not
   * close the context within ABORT_GRACE_MS is closed itself.
   */
  private async closedWithin(closing: Promise<unknown> | undefined, slot: BrowserSlot): Promise<void> {
    let grace: NodeJS.Timeout | undefined;
    const inTime = await Promise.race([
      Promise.resolve(closing).then(() => true),
      new Promise<boolean>((resolve) => (grace = setTimeout(() => resolve(false), ABORT_GRACE_MS))),
    ]);
    clearTimeout(grace);
    if (inTime) return;
    this.logger.warn(`an aborted render's context did not close within ${ABORT_GRACE_MS} ms; closing its browser`);
    if (this.current === slot) this.current = undefined;
    await this.closeSlot(slot);
  }

  status(): RendererStatus {
    const executable = locateBrowser(this.config.browserPath);
    if (!executable) return { status: 'down', state: 'missing', executable: null, error: 'no Chromium installed' };
    if (this.closed) return { status: 'down', state: 'closed', executable, error: 'the renderer is shutting down' };
    if (!this.lastLaunch) return { status: 'up', state: 'not_started', executable };
    if ('error' in this.lastLaunch)
      return { status: 'down', state: 'failed', executable, error: this.lastLaunch.error };
    return { status: 'up', state: 'running', executable, version: this.lastLaunch.version };
  }

  /** Closes the current browser and every set-aside one, whatever is still running on them. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.closing);
    const slots = [...this.retired, ...(this.current ? [this.current] : [])];
    this.current = undefined;
    await Promise.all(slots.map((slot) => this.closeSlot(slot)));
  }

  /**
   * After every onModuleDestroy hook, so the pack worker has already let its running job finish (it waits in
   * onModuleDestroy) before the browsers go.
   */
  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}

const ABORT_GRACE_MS = 5000;

/** A promise that rejects with the signal's reason once it aborts (and never settles otherwise). */
function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise<never>((_, reject) => {
    if (signal.aborted) reject(abortError(signal));
    else signal.addEventListener('abort', () => reject(abortError(signal)), { once: true });
  });
}

/** The signal's reason as an Error (abort() without a reason gives a DOMException, which is one). */
function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error(`aborted: ${String(reason)}`);
}

/**
 * Page size and margins. No header/footer templates: Chromium lays out a separate document for them on every page,
 * which costs more than the CSS page-margin boxes withFooter() adds. No Chromium outline either: it requires a tagged
 * PDF, the costliest part of a print; pdf-outline.ts adds the bookmarks instead.
 */
export const PDF_OPTIONS = {
  format: 'A4',
  printBackground: true,
  margin: { top: '18mm', bottom: '18mm', left: '14mm', right: '14mm' },
  outline: false,
  // Puppeteer's default is true: say it, so that a raw print with these options is what the renderer does.
  tagged: false,
} as const;

/** A CSS string literal of any text: everything but plain ASCII letters, digits and a few marks as an escape. */
export function cssString(text: string): string {
  return `"${text.replace(/[^A-Za-z0-9 .,:;_/()-]/gu, (c) => `\\${c.codePointAt(0)!.toString(16)} `)}"`;
}

/**
 * The footer (text on the left, "Page n of N" on the right) as CSS page-margin boxes, in a <style> added to the
 * document's head. The text is a CSS string, escaped, so nothing in it can end the rule or the element.
 */
export function withFooter(html: string, footer: string): string {
  const box = "font-family: 'Liberation Sans', Arial, sans-serif; font-size: 6pt; color: #555;";
  const style =
    `<style>@page { @bottom-left { content: ${cssString(footer)}; ${box} } ` +
    `@bottom-right { content: "Page " counter(page) " of " counter(pages); ${box} } }</style>`;
  const head = /<\/head>/i.exec(html);
  if (head) return `${html.slice(0, head.index)}${style}${html.slice(head.index)}`;
  const body = /<body[^>]*>/i.exec(html);
  if (body) return `${html.slice(0, body.index + body[0].length)}${style}${html.slice(body.index + body[0].length)}`;
  return `${style}${html}`;
}

/** Page objects in a PDF (Chromium writes them uncompressed); "/Type /Pages" tree nodes are not counted. */
export function countPdfPages(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page\b(?!s)/g) ?? []).length;
}
