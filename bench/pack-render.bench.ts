/**
 * Evidence-pack rendering benchmark: prints figures, asserts nothing.
 *
 *   npx ts-node --transpile-only bench/pack-render.bench.ts [runs]
 *
 * Builds a 150-control, 1,000-evidence pack (test fixture), then renders it `runs` times (default 10) after one
 * warm-up: through ChromiumPdfRenderer as the product does (outline added, untagged) and with tagging on, and as a
 * raw print of the same HTML through a plain puppeteer page, untagged and tagged with Chromium's own outline.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import puppeteer, { Browser, PDFOptions } from 'puppeteer';
import { loadConfig } from '../src/config/app.config';
import { locateBrowser } from '../src/pdf/browser-locator';
import { ChromiumPdfRenderer, countPdfPages, PDF_OPTIONS, withFooter } from '../src/pdf/chromium-pdf-renderer';
import { PackHtmlBuilder } from '../src/evidence-packs/pack-html';
import { buildPackModel } from '../test/fixtures/pack-model.fixture';

const RUNS = Number(process.argv[2] ?? 10);
const SHAPE = { controls: 150, evidence: 1000, requirementsPerFramework: 40, systems: 2 };

interface Sample {
  ms: number;
  pdf: Buffer;
}

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}

function pageCount(pdf: Buffer, dir: string, name: string): number {
  const file = path.join(dir, `${name}.pdf`);
  fs.writeFileSync(file, pdf);
  try {
    const match = /^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [file]).toString());
    if (match) return Number(match[1]);
  } catch {
    // No poppler: count page objects instead, as the renderer does.
  }
  return countPdfPages(pdf);
}

function report(label: string, samples: Sample[], pages: number) {
  const times = samples.map((sample) => sample.ms).sort((a, b) => a - b);
  const mean = times.reduce((sum, ms) => sum + ms, 0) / times.length;
  return {
    label,
    'p50 ms': Math.round(percentile(times, 50)),
    'p95 ms': Math.round(percentile(times, 95)),
    'mean ms': Math.round(mean),
    pages,
    'PDF MiB': Number((samples[0].pdf.length / 1024 / 1024).toFixed(2)),
    'packs/min (1 worker)': Number((60000 / mean).toFixed(1)),
  };
}

async function main() {
  const config = loadConfig({ LOG_LEVEL: 'silent' });
  const executablePath = locateBrowser(config.browserPath);
  if (!executablePath) throw new Error('no Chromium found');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pack-bench-'));

  const builder = new PackHtmlBuilder();
  const model = buildPackModel(SHAPE);
  const buildTimes: number[] = [];
  let html = '';
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    html = builder.build(model);
    buildTimes.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  buildTimes.sort((a, b) => a - b);
  const footer = builder.footer(model);

  console.log(
    `Chromium: ${executablePath}; Node ${process.version}; ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'})`,
  );
  console.log(
    `Model: ${SHAPE.systems} systems, ${SHAPE.controls} controls, ${SHAPE.evidence} evidence items, ${SHAPE.requirementsPerFramework} requirements per framework ` +
      `(${model.coverage.length} system x framework blocks, ${model.coverage.reduce((n, c) => n + c.requirements.length, 0)} requirement rows, ` +
      `${model.controlMatrix.length} control-matrix rows, ${model.openRemediation.length} open tasks)`,
  );
  console.log(
    `HTML: ${(html.length / 1024 / 1024).toFixed(2)} MiB, PackHtmlBuilder.build p50 ${percentile(buildTimes, 50).toFixed(0)} ms, p95 ${percentile(buildTimes, 95).toFixed(0)} ms`,
  );
  console.log(`Runs: ${RUNS} per variant after 1 warm-up each, one render at a time, variants interleaved\n`);

  // The product path, tagged and untagged, and two raw prints of the same HTML through a plain puppeteer page:
  // setContent + pdf with the renderer's own pdf options and footer, none of its defences (fresh context, JavaScript
  // off, request interception) and no outline; then Chromium's own outline, which needs a tagged PDF.
  const renderer = new ChromiumPdfRenderer(config);
  const tagged = new ChromiumPdfRenderer({ ...config, packTaggedPdf: true });
  const browser: Browser = await puppeteer.launch({
    executablePath,
    headless: true,
    pipe: true,
    args: [
      '--no-sandbox',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-gpu',
      '--no-first-run',
    ],
  });
  const raw = (options: PDFOptions) => async () => {
    const page = await browser.newPage();
    try {
      await page.setContent(withFooter(html, footer), { waitUntil: 'load', timeout: 300000 });
      return Buffer.from(await page.pdf({ ...PDF_OPTIONS, ...options, timeout: 300000 }));
    } finally {
      await page.close();
    }
  };
  const variants: Array<[string, () => Promise<Buffer>]> = [
    [
      'ChromiumPdfRenderer (default: outline, untagged)',
      async () => (await renderer.render(html, { timeoutMs: 300000, footer, outline: true })).pdf,
    ],
    [
      'ChromiumPdfRenderer, WORKBENCH_PACK_TAGGED_PDF=true',
      async () => (await tagged.render(html, { timeoutMs: 300000, footer, outline: true })).pdf,
    ],
    ['raw print, same HTML and options', raw({})],
    ['raw print, tagged + Chromium outline', raw({ tagged: true, outline: true })],
  ];
  const samples = new Map<string, Sample[]>(variants.map(([label]) => [label, []]));
  try {
    for (const [, render] of variants) await render(); // warm-up: browser start, font cache, first layout
    // Interleaved, so that a slow minute on a shared machine hits every variant alike.
    for (let i = 0; i < RUNS; i++) {
      for (const [label, render] of variants) {
        const started = process.hrtime.bigint();
        const pdf = await render();
        samples.get(label)!.push({ ms: Number(process.hrtime.bigint() - started) / 1e6, pdf });
      }
    }
  } finally {
    await Promise.all([renderer.close(), tagged.close(), browser.close()]);
  }
  const rows = variants.map(([label], i) =>
    report(label, samples.get(label)!, pageCount(samples.get(label)![0].pdf, dir, `variant-${i}`)),
  );
  console.table(rows);
  const [product, taggedRow, rawRow, rawTagged] = rows;
  console.log(
    `Renderer vs raw print of the same HTML (p50): ${product['p50 ms']} / ${rawRow['p50 ms']} ms = ${(product['p50 ms'] / rawRow['p50 ms']).toFixed(2)}x`,
  );
  console.log(
    `Tagged renderer vs raw tagged print with Chromium's outline (p50): ${taggedRow['p50 ms']} / ${rawTagged['p50 ms']} ms = ${(taggedRow['p50 ms'] / rawTagged['p50 ms']).toFixed(2)}x`,
  );
  console.log(`Tagging costs ${(taggedRow['p50 ms'] / product['p50 ms']).toFixed(2)}x p50 through the renderer`);
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
