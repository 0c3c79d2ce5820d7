import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import puppeteer from 'puppeteer';
import { loadConfig } from '../../src/config/app.config';
import { locateBrowser } from '../../src/pdf/browser-locator';
import { ChromiumPdfRenderer } from '../../src/pdf/chromium-pdf-renderer';
import { PackHtmlBuilder } from '../../src/evidence-packs/pack-html';
import { PackModel } from '../../src/evidence-packs/pack-model';
import { outlineFromHtml } from '../../src/pdf/pdf-outline';
import {
  buildPackModel,
  HOSTILE_CONSTRUCTOR,
  HOSTILE_EACH,
  HOSTILE_IFRAME,
  HOSTILE_SCRIPT,
} from '../fixtures/pack-model.fixture';

// A real Chromium prints the pack and poppler reads it back: what an auditor gets, not what the HTML promised.
// Runs without booting the Nest app: the renderer and the builder are plain classes.

const PASSWD_MARKER = 'root:x:0:0';

/** Text of a PDF in content-stream order, whitespace removed (a SHA-256 may wrap across lines). */
function pdfText(file: string): string {
  return execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-']).toString('utf8').replace(/\s+/g, '');
}

function pdfInfo(file: string): Record<string, string> {
  const out = execFileSync('pdfinfo', [file]).toString('utf8');
  return Object.fromEntries(
    out
      .split('\n')
      .filter((line) => line.includes(':'))
      .map((line) => {
        const at = line.indexOf(':');
        return [line.slice(0, at).trim(), line.slice(at + 1).trim()];
      }),
  );
}

const squeeze = (text: string) => text.replace(/\s+/g, '');

/** The outline as poppler reads it (pdftohtml -xml), depth-first: title and the page it opens. */
function outlineAsPopplerReadsIt(file: string): Array<{ title: string; page: number }> {
  const xml = execFileSync('pdftohtml', ['-xml', '-stdout', '-i', '-q', file]).toString('utf8');
  const unescape = (text: string) =>
    text
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&');
  return [...xml.matchAll(/<item page="(\d+)">([^<]*)<\/item>/g)].map((match) => ({
    title: unescape(match[2]),
    page: Number(match[1]),
  }));
}

/** An outline entry's title as a PDF string: literal (with its escapes) or UTF-16BE hex. */
function hasOutlineTitle(pdf: Buffer, title: string): boolean {
  const literal = `/Title (${title.replace(/[\\()]/g, (c) => `\\${c}`)})`;
  const hex = `/Title <FEFF${Buffer.from(title, 'utf16le').swap16().toString('hex').toUpperCase()}>`;
  const raw = pdf.toString('latin1');
  return raw.includes(literal) || raw.toUpperCase().includes(hex.toUpperCase());
}

describe('evidence pack PDF (real Chromium, read back with poppler)', () => {
  const config = loadConfig({ LOG_LEVEL: 'silent' });
  const renderer = new ChromiumPdfRenderer(config);
  const builder = new PackHtmlBuilder();
  const canaryHits: string[] = [];
  let canary: http.Server;
  let port: number;
  let dir: string;

  beforeAll(async () => {
    // The test is only meaningful if the file it must not leak is there to leak.
    expect(fs.readFileSync('/etc/passwd', 'utf8')).toContain(PASSWD_MARKER);
    canary = http.createServer((request, response) => {
      canaryHits.push(`${request.method} ${request.url}`);
      response.writeHead(200, { 'content-type': 'image/png' }).end();
    });
    await new Promise<void>((resolve) => canary.listen(0, '127.0.0.1', resolve));
    port = (canary.address() as AddressInfo).port;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pack-render-'));
  });

  afterAll(async () => {
    await renderer.close();
    await new Promise((resolve) => canary.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('a pack whose user text is hostile, rendered with an outline', () => {
    let model: PackModel;
    let pdf: Buffer;
    let text: string;
    let info: Record<string, string>;

    beforeAll(async () => {
      model = buildPackModel({
        hostile: true,
        canaryPort: port,
        controls: 16,
        evidence: 40,
        requirementsPerFramework: 8,
      });
      const rendered = await renderer.render(builder.build(model), {
        timeoutMs: config.packTimeoutMs,
        footer: builder.footer(model),
        outline: true,
      });
      pdf = rendered.pdf;
      const file = path.join(dir, 'hostile-pack.pdf');
      fs.writeFileSync(file, pdf);
      text = pdfText(file);
      info = pdfInfo(file);
    });

    it('is a multi-page A4 PDF', () => {
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(Number(info.Pages)).toBeGreaterThan(1);
      expect(info['Page size']).toContain('(A4)');
    });

    it('has an outline (bookmarks) of every section and sub-section, each pointing at a destination on a page', () => {
      expect(pdf.includes('/Outlines')).toBe(true);
      expect(info.Tagged).toBe('no'); // the default: WORKBENCH_PACK_TAGGED_PDF=false
      const outline = outlineFromHtml(builder.build(model));
      const entries = outline.flatMap((entry) => [entry, ...entry.children]);
      expect(entries.length).toBeGreaterThan(8);
      expect(entries.filter((entry) => !hasOutlineTitle(pdf, entry.title)).map((entry) => entry.title)).toEqual([]);
      // poppler reads the outline back: the same titles in the same order, each on a page, sections in page order.
      const read = outlineAsPopplerReadsIt(path.join(dir, 'hostile-pack.pdf'));
      expect(read.map((item) => item.title)).toEqual(entries.map((entry) => entry.title));
      expect(read.every((item) => item.page >= 1 && item.page <= Number(info.Pages))).toBe(true);
      const sectionPages = outline.map((entry) => read.find((item) => item.title === entry.title)!.page);
      expect([...sectionPages].sort((a, b) => a - b)).toEqual(sectionPages);
      expect(sectionPages[0]).toBeGreaterThan(2); // after the cover and the contents page
    });

    it('prints page numbers in the footer', () => {
      expect(text).toContain(squeeze(`Page 1 of ${info.Pages}`));
      expect(text).toContain(squeeze(builder.footer(model)));
    });

    it('contains every requirement ref, control code and full evidence SHA-256', () => {
      const refs = model.coverage.flatMap((coverage) => coverage.requirements.map((requirement) => requirement.ref));
      expect(refs.filter((ref) => !text.includes(squeeze(ref)))).toEqual([]);
      const codes = [...new Set(model.controlMatrix.map((row) => row.code))];
      expect(codes.filter((code) => !text.includes(code))).toEqual([]);
      expect(
        model.evidenceIndex.filter((evidence) => !text.includes(evidence.sha256)).map((evidence) => evidence.id),
      ).toEqual([]);
      expect(text).toContain(model.auditLog.headHash);
    });

    it('shows hostile strings as literal text', () => {
      for (const hostile of [
        HOSTILE_IFRAME,
        HOSTILE_CONSTRUCTOR,
        HOSTILE_EACH,
        HOSTILE_SCRIPT,
        `<img src=http://127.0.0.1:${port}/canary.png>`,
      ]) {
        expect(text).toContain(squeeze(hostile));
      }
    });

    it('leaks no local file and makes no request', () => {
      expect(text).not.toContain(PASSWD_MARKER);
      expect(pdf.toString('latin1')).not.toContain(PASSWD_MARKER);
      expect(canaryHits).toEqual([]);
    });
  });

  describe('with WORKBENCH_PACK_TAGGED_PDF=true', () => {
    it('renders a tagged PDF with the same outline', async () => {
      const tagged = new ChromiumPdfRenderer({ ...config, packTaggedPdf: true });
      try {
        const small = buildPackModel({ controls: 6, evidence: 8, requirementsPerFramework: 4 });
        const { pdf } = await tagged.render(builder.build(small), {
          timeoutMs: config.packTimeoutMs,
          footer: builder.footer(small),
          outline: true,
        });
        const file = path.join(dir, 'tagged.pdf');
        fs.writeFileSync(file, pdf);
        expect(pdfInfo(file).Tagged).toBe('yes');
        for (const entry of outlineFromHtml(builder.build(small))) expect(hasOutlineTitle(pdf, entry.title)).toBe(true);
        expect(pdfText(file)).toContain(squeeze(builder.footer(small)));
      } finally {
        await tagged.close();
      }
    });
  });

  describe('the renderer on its own, given raw HTML that bypasses the templates', () => {
    const rawHtml = (port: number) =>
      `<!DOCTYPE html><html><head><title>raw</title></head><body><h1>Raw document</h1>` +
      `<img src=http://127.0.0.1:${port}/direct.png>` +
      `<iframe src="file:///etc/passwd" width="600" height="400"></iframe>` +
      `<link rel="stylesheet" href="http://127.0.0.1:${port}/direct.css">` +
      `<script>document.body.append('script ran')</script>` +
      `<p>end of raw document</p></body></html>`;

    it('control: the same HTML in an undefended page does reach the canary, so zero requests below means something', async () => {
      const executablePath = locateBrowser(config.browserPath);
      expect(executablePath).toBeTruthy();
      const browser = await puppeteer.launch({
        executablePath: executablePath!,
        headless: true,
        args: ['--no-sandbox'],
        pipe: true,
      });
      try {
        const page = await browser.newPage();
        await page.setContent(rawHtml(port), { waitUntil: 'load' });
        await page.pdf({ format: 'A4' });
      } finally {
        await browser.close();
      }
      expect(canaryHits.length).toBeGreaterThan(0);
      canaryHits.length = 0;
    });

    it('requests nothing, runs no script and shows no local file, whatever the footer text', async () => {
      // The footer becomes a CSS string in a <style>: this one tries to end both and load an image.
      const footer = `raw "; } } </style><img src=http://127.0.0.1:${port}/footer.png> \\"`;
      const { pdf } = await renderer.render(rawHtml(port), { timeoutMs: config.packTimeoutMs, footer, outline: false });
      const file = path.join(dir, 'raw.pdf');
      fs.writeFileSync(file, pdf);
      const text = pdfText(file);
      expect(text).toContain(squeeze(footer));
      expect(text).toContain('endofrawdocument');
      expect(text).not.toContain('scriptran');
      expect(text).not.toContain(PASSWD_MARKER);
      expect(pdf.toString('latin1')).not.toContain(PASSWD_MARKER);
      expect(canaryHits).toEqual([]);
    });
  });
});
