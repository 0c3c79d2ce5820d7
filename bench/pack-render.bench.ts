/**
 * Evidence-pack rendering benchmark: prints figures, asserts nothing.
 *
 *   npx ts-node --transpile-only bench/pack-render.bench.ts [runs]
 *
 * Builds a 150-control, 1,000-evidence pack (test fixture), then renders it `runs` times (default 10) after one
 * warm-up through ChromiumPdfRenderer with outline on and off, and prints the same HTML through a plain puppeteer
 * page (setContent + pdf with the same pdf options, none of the renderer's defences) for comparison.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import puppeteer, { Browser, PDFOptions } from 'puppeteer';
import { loadConfig } from '../src/config/app.config';
import { locateBrowser } from '../src/evidence-packs/browser-locator';
import { ChromiumPdfRenderer, escapeHtml } from '../src/evidence-packs/chromium-pdf-renderer';
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
    // No poppler: count page objects instead (Skia writes them uncompressed).
  }
  return (pdf.toString('latin1').match(/\/Type\s*\/Page\b(?!s)/g) ?? []).length;
}

async function measure(runs: number, render: () => Promise<Buffer>): Promise<Sample[]> {
  await render(); // warm-up: browser start, font cache, first layout
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    const pdf = await render();
    samples.push({ ms: Number(process.hrtime.bigint() - started) / 1e6, pdf });
  }
  return samples;
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

  console.log(`Chromium: ${executablePath}; Node ${process.version}; ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'})`);
  console.log(
    `Model: ${SHAPE.systems} systems, ${SHAPE.controls} controls, ${SHAPE.evidence} evidence items, ${SHAPE.requirementsPerFramework} requirements per framework ` +
      `(${model.coverage.length} system x framework blocks, ${model.coverage.reduce((n, c) => n + c.requirements.length, 0)} requirement rows, ` +
      `${model.controlMatrix.length} control-matrix rows, ${model.openRemediation.length} open tasks)`,
  );
  console.log(`HTML: ${(html.length / 1024 / 1024).toFixed(2)} MiB, PackHtmlBuilder.build p50 ${percentile(buildTimes, 50).toFixed(0)} ms, p95 ${percentile(buildTimes, 95).toFixed(0)} ms`);
  console.log(`Runs: ${RUNS} timed after 1 warm-up each, one at a time\n`);

  const rows = [];
  const renderer = new ChromiumPdfRenderer(config);
  try {
    for (const outline of [true, false]) {
      const samples = await measure(RUNS, async () => (await renderer.render(html, { timeoutMs: 300000, footer, outline })).pdf);
      rows.push(report(`ChromiumPdfRenderer outline=${outline}`, samples, pageCount(samples[0].pdf, dir, `renderer-${outline}`)));
    }
  } finally {
    await renderer.close();
  }

  // The same pdf options as ChromiumPdfRenderer; nothing else (no fresh context, JavaScript on, no interception).
  const pdfOptions = (outline: boolean): PDFOptions => ({
    format: 'A4',
    printBackground: true,
    margin: { top: '18mm', bottom: '18mm', left: '14mm', right: '14mm' },
    displayHeaderFooter: true,
    headerTemplate: '<span></span>',
    footerTemplate: `<div style="font-size:8px;width:100%;padding:0 14mm;color:#555;display:flex;justify-content:space-between"><span>${escapeHtml(footer)}</span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
    outline,
    tagged: outline,
    timeout: 300000,
  });
  const browser: Browser = await puppeteer.launch({
    executablePath,
    headless: true,
    pipe: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-gpu', '--no-first-run'],
  });
  try {
    for (const outline of [true, false]) {
      const samples = await measure(RUNS, async () => {
        const page = await browser.newPage();
        try {
          await page.setContent(html, { waitUntil: 'load', timeout: 300000 });
          return Buffer.from(await page.pdf(pdfOptions(outline)));
        } finally {
          await page.close();
        }
      });
      rows.push(report(`raw puppeteer outline=${outline}`, samples, pageCount(samples[0].pdf, dir, `raw-${outline}`)));
    }
  } finally {
    await browser.close();
  }

  console.table(rows);
  const [withOutline, withoutOutline, rawOutline, rawPlain] = rows;
  console.log(`Outline (tagged) cost through the renderer: ${(withOutline['p50 ms'] / withoutOutline['p50 ms']).toFixed(2)}x p50`);
  console.log(
    `Renderer overhead over a raw print (p50): outline=true ${(withOutline['p50 ms'] - rawOutline['p50 ms']).toFixed(0)} ms, ` +
      `outline=false ${(withoutOutline['p50 ms'] - rawPlain['p50 ms']).toFixed(0)} ms`,
  );
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
