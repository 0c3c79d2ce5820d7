/**
 * Pack assembly against a large audit log (issue 18.1): prints figures, asserts nothing.
 *
 *   npx ts-node --transpile-only bench/audit-pack.bench.ts [entries] [runs] [seedBudgetSeconds]
 *
 * Seeds the demo workspace (scripts/demo.ts in a child process, on a temp data directory and SQLite, or a fresh
 * PostgreSQL database beside DATABASE_URL), boots the app on 127.0.0.1, then appends `entries` (default 1,000,000)
 * validly chained audit-log entries with bench/audit-seed.ts, stopping early when `seedBudgetSeconds` (default 120)
 * run out; it says how many it wrote. One verifyAndCheckpoint then walks the new entries once, as the periodic
 * checkpoint would (timed and printed). Then, `runs` times (default 5) interleaved:
 *   - POST /api/v1/packs for the demo audit -> its row polled every 5 ms (one SELECT on the app's data source) until
 *     it says ready; the bench's client runs in the server's process, and a GET /api/v1/packs/:id every 10 ms (the
 *     poll before) took a fifth or more of the thread that assembles and prints the pack, which the raw print did not
 *     pay;
 *   - a raw Chromium print of the same pack's HTML (assembled once, after the seeding) through a plain puppeteer page
 *     with the renderer's pdf options and footer, as bench/pack-render.bench.ts does.
 * Prints both medians and their ratio, and the full chain walk (AuditLogService.verify) once at the end for scale.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import puppeteer from 'puppeteer';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { setupApp } from '../src/app.setup';
import { AuditCheckpointService } from '../src/audit-log/audit-checkpoint.service';
import { AuditLogService } from '../src/audit-log/audit-log.service';
import { APP_CONFIG, loadConfig } from '../src/config/app.config';
import { TransactionRunner } from '../src/database/transaction-runner';
import { locateBrowser } from '../src/pdf/browser-locator';
import { PDF_OPTIONS, withFooter } from '../src/pdf/chromium-pdf-renderer';
import { EvidencePackAssembler } from '../src/evidence-packs/evidence-pack-assembler';
import { EvidencePackRenderer } from '../src/evidence-packs/evidence-pack-renderer';
import { PackHtmlBuilder } from '../src/evidence-packs/pack-html';
import { createTestDatabase, makeTempDir } from '../test/factories/test-database';
import { seedAuditLog } from './audit-seed';

const ENTRIES = Number(process.argv[2] ?? 1_000_000);
const RUNS = Number(process.argv[3] ?? 5);
const SEED_BUDGET_MS = Number(process.argv[4] ?? 120) * 1000;
const ROOT = `${__dirname}/..`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function runDemo(env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'scripts/demo.ts'], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'silent', WORKBENCH_ADMIN_EMAIL: '', WORKBENCH_ADMIN_PASSWORD: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`demo exited ${code}: ${stderr}`))));
  });
}

async function main() {
  const dataDir = makeTempDir('wb-audit-pack-');
  const database = await createTestDatabase(dataDir);
  const env = { WORKBENCH_DATA_DIR: dataDir, ...database.env };
  const demoStarted = Date.now();
  const demo = await runDemo(env);
  const password = /specialist@demo\.workbench\s+(\S+)/.exec(demo)?.[1];
  if (!password) throw new Error(`no specialist login in the demo's output:\n${demo}`);
  console.log(`demo workspace seeded in ${Date.now() - demoStarted} ms (database: ${database.kind})`);

  const config = loadConfig({ ...env, LOG_LEVEL: 'silent' });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(APP_CONFIG)
    .useValue(config)
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ logger: false, bodyParser: false });
  setupApp(app);
  await app.listen(0, '127.0.0.1');
  const browser = await puppeteer.launch({
    executablePath: locateBrowser(config.browserPath) ?? undefined,
    headless: true,
    pipe: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--no-first-run'],
  });
  try {
    const { port } = app.getHttpServer().address() as AddressInfo;
    const base = `http://127.0.0.1:${port}`;
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'specialist@demo.workbench', password }),
    });
    const { token } = (await login.json()) as { token: string };
    const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    const audits = (await (await fetch(`${base}/api/v1/audits`, { headers })).json()) as { items: { id: string }[] };
    const auditId = audits.items[0].id;

    const seeded = await seedAuditLog(app.get(DataSource), app.get(TransactionRunner), ENTRIES, SEED_BUDGET_MS);
    const head = await app.get(AuditLogService).head();
    console.log(
      `seeded ${seeded.entries.toLocaleString('en')} entries in ${seeded.ms} ms` +
        `${seeded.cut ? ` (the ${SEED_BUDGET_MS / 1000} s budget ran out before ${ENTRIES.toLocaleString('en')})` : ''}; ` +
        `the log holds ${head.seq.toLocaleString('en')} entries`,
    );
    let started = Date.now();
    const first = await app.get(AuditCheckpointService).verifyAndCheckpoint();
    console.log(
      `first verifyAndCheckpoint after the seeding (walks the ${seeded.entries.toLocaleString('en')} new entries once): ` +
        `${Date.now() - started} ms, valid ${first.valid}`,
    );

    const waits: number[] = [];
    const works: number[] = [];
    const packReady = async (): Promise<number> => {
      const began = Date.now();
      const requested = await fetch(`${base}/api/v1/packs`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ auditId }),
      });
      if (requested.status !== 202 && requested.status !== 201)
        throw new Error(`POST /api/v1/packs answered ${requested.status}`);
      const { id } = (await requested.json()) as { id: string };
      const dataSource = app.get(DataSource);
      const placeholder = database.kind === 'postgres' ? '$1' : '?';
      for (;;) {
        const [pack] = await dataSource.query<
          { status: string; error: string | null; requestedAt: string; startedAt: string; finishedAt: string }[]
        >(
          `SELECT "status", "error", "requestedAt", "startedAt", "finishedAt" FROM "evidence_packs" WHERE "id" = ${placeholder}`,
          [id],
        );
        if (pack.status === 'ready') {
          const ms = Date.now() - began;
          const at = (value: string | Date) => new Date(value).getTime();
          waits.push(at(pack.startedAt) - at(pack.requestedAt));
          works.push(at(pack.finishedAt) - at(pack.startedAt));
          return ms;
        }
        if (pack.status === 'failed') throw new Error(`pack failed: ${pack.error}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    // The same pack's HTML, assembled once: the raw print gets exactly what the renderer prints.
    const assembler = app.get(EvidencePackAssembler);
    const builder = app.get(PackHtmlBuilder);
    const now = new Date().toISOString();
    const frameworks = await assembler.defaultFrameworks({ systemId: null, auditId });
    const model = await assembler.assemble({
      packId: randomUUID(),
      systemId: null,
      auditId,
      frameworks,
      asOf: now,
      generatedAt: now,
      requestedBy: 'bench',
    });
    const html = withFooter(builder.build(model), builder.footer(model));
    const assembly = async (): Promise<number> => {
      const began = Date.now();
      const at = new Date().toISOString();
      const scope = { packId: randomUUID(), systemId: null, auditId, asOf: at, generatedAt: at, requestedBy: 'bench' };
      const assembled = await assembler.assemble({ ...scope, frameworks });
      builder.build(assembled);
      return Date.now() - began;
    };
    const renderer = app.get(EvidencePackRenderer);
    const productRender = async (): Promise<number> => {
      const began = Date.now();
      const at = new Date().toISOString();
      await renderer.render({
        packId: randomUUID(),
        systemId: null,
        auditId,
        frameworks,
        asOf: at,
        generatedAt: at,
        requestedBy: 'bench',
      });
      return Date.now() - began;
    };
    const rawPrint = async (): Promise<number> => {
      const began = Date.now();
      const page = await browser.newPage();
      try {
        await page.setContent(html, { waitUntil: 'load', timeout: 300000 });
        await page.pdf({ ...PDF_OPTIONS, timeout: 300000 });
      } finally {
        await page.close();
      }
      return Date.now() - began;
    };

    await packReady(); // warm-up: the renderer's browser, fonts, statement caches
    await rawPrint();
    const packTimes: number[] = [];
    const rawTimes: number[] = [];
    const assemblyTimes: number[] = [];
    const renderTimes: number[] = [];
    waits.length = works.length = 0;
    for (let i = 0; i < RUNS; i++) {
      packTimes.push(await packReady());
      rawTimes.push(await rawPrint());
      assemblyTimes.push(await assembly());
      renderTimes.push(await productRender());
    }
    console.table([
      {
        label: 'POST /api/v1/packs -> ready (demo audit pack)',
        'median ms': median(packTimes),
        runs: packTimes.join(' '),
      },
      { label: '  of which queued (requestedAt -> startedAt)', 'median ms': median(waits), runs: waits.join(' ') },
      { label: '  of which worked (startedAt -> finishedAt)', 'median ms': median(works), runs: works.join(' ') },
      { label: 'raw Chromium print of the same HTML', 'median ms': median(rawTimes), runs: rawTimes.join(' ') },
      {
        label: 'assemble + HTML build alone (in process)',
        'median ms': median(assemblyTimes),
        runs: assemblyTimes.join(' '),
      },
      {
        label: 'EvidencePackRenderer.render alone (assembly + product print)',
        'median ms': median(renderTimes),
        runs: renderTimes.join(' '),
      },
    ]);
    console.log(
      `pack -> ready vs raw print (medians, ${(await app.get(AuditLogService).head()).seq.toLocaleString('en')} entries in the log): ` +
        `${median(packTimes)} / ${median(rawTimes)} ms = ${(median(packTimes) / median(rawTimes)).toFixed(2)}x`,
    );
    started = Date.now();
    const full = await app.get(AuditLogService).verify();
    console.log(
      `for scale, the full chain walk (npm run audit:verify): ${Date.now() - started} ms, valid ${full.valid}`,
    );
  } finally {
    await browser.close();
    await app.close();
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
