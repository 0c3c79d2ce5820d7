import { randomUUID } from 'node:crypto';
import puppeteer, { Browser } from 'puppeteer';
import { loadConfig } from '../../src/config/app.config';
import { TransactionRunner } from '../../src/database/transaction-runner';
import {
  ChromiumPdfRenderer,
  PDF_RENDERER,
  PdfRenderer,
  PdfRenderOptions,
  RenderedPdf,
} from '../../src/pdf/chromium-pdf-renderer';
import { EvidencePackEntity } from '../../src/evidence-packs/entities/evidence-pack.entity';
import { EvidencePacksRepository } from '../../src/evidence-packs/evidence-packs.repository';
import { minimalSystem } from '../factories/systems';
import { bearer, startTestApp, TestApp } from '../factories/test-app';
import { waitFor } from '../factories/wait-for';

const FAKE_PDF = Buffer.from('%PDF-1.4\n%%EOF\n');
const LEASE_MS = 1500;

function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20000): Promise<T> {
  return waitFor(probe, { timeoutMs, intervalMs: 50, what });
}

/** A renderer double whose jobs wait for the test, or for their abort signal; it records what it saw. */
class GatedRenderer implements PdfRenderer {
  inFlight = 0;
  maxInFlight = 0;
  aborted: string[] = [];
  hold = false;
  private releases: (() => void)[] = [];

  async render(_html: string, options: PdfRenderOptions): Promise<RenderedPdf> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.hold) {
        await new Promise<void>((resolve, reject) => {
          this.releases.push(resolve);
          options.signal?.addEventListener('abort', () => {
            this.aborted.push((options.signal!.reason as Error).message);
            reject(options.signal!.reason as Error);
          });
        });
      }
      return { pdf: FAKE_PDF, ms: 1, pages: 1 };
    } finally {
      this.inFlight--;
    }
  }

  release(): void {
    for (const release of this.releases.splice(0)) release();
  }

  status() {
    return { status: 'up' as const, state: 'running' as const, executable: null };
  }
}

describe('pack job leases (e2e, renderer double)', () => {
  let t: TestApp;
  const renderer = new GatedRenderer();
  let systemId: string;
  const param = (n: number) => (t.database.kind === 'postgres' ? `$${n}` : '?');

  beforeAll(async () => {
    t = await startTestApp({
      env: { WORKBENCH_PACK_LEASE_MS: String(LEASE_MS), WORKBENCH_PACK_TIMEOUT_MS: '60000' },
      override: (builder) => builder.overrideProvider(PDF_RENDERER).useValue(renderer),
    });
    systemId = (
      await t
        .http()
        .post('/api/v1/systems')
        .set(bearer(t.users.governance_specialist))
        .send(minimalSystem())
        .expect(201)
    ).body.id;
  });
  afterAll(async () => {
    renderer.release();
    await t?.close();
  });
  afterEach(() => {
    renderer.hold = false;
    renderer.release();
  });

  const row = async (id: string) =>
    (
      await t.dataSource.query<(EvidencePackEntity & { attempts: number | string })[]>(
        `SELECT * FROM "evidence_packs" WHERE "id" = ${param(1)}`,
        [id],
      )
    )[0];
  const actions = async (id: string) =>
    await t.dataSource.query<{ action: string; at: string }[]>(
      `SELECT "action", "at" FROM "audit_log" WHERE "entityId" = ${param(1)} ORDER BY "seq"`,
      [id],
    );
  // Waits for the outcome's audit entry, not the status: on SQLite a read shares the one connection and can see the
  // status of the worker's transaction before that transaction has written its audit entry and committed.
  const finished = (id: string, limitMs?: number) =>
    until(
      async () => ((await actions(id)).some((e) => e.action === 'pack.render.ready') ? row(id) : undefined),
      `pack ${id} to be recorded ready`,
      limitMs,
    );

  it('moves a pack only through a declared transition, and only from the status the row holds (issue 24.3)', async () => {
    const id = (
      await t.http().post('/api/v1/packs').set(bearer(t.users.governance_specialist)).send({ systemId }).expect(202)
    ).body.id as string;
    await finished(id);
    const packs = t.app.get(EvidencePacksRepository);
    const tx = t.app.get(TransactionRunner);
    // ready is final: the move is refused before any row is touched, even though the row does hold "ready".
    await expect(tx.run((m) => packs.moveStatus(m, id, 'ready', 'queued', {}))).rejects.toMatchObject({
      kind: 'conflict',
    });
    // A declared move from a status the row no longer holds changes nothing.
    expect(await tx.run((m) => packs.moveStatus(m, id, 'rendering', 'failed', { error: 'late' }))).toBe(false);
    expect(await row(id)).toMatchObject({ status: 'ready', error: null });
  });

  it('requeues a job whose claim another instance stopped renewing, and renders it, while the app runs', async () => {
    const startedAt = new Date();
    const leaseUntil = new Date(startedAt.getTime() + 500).toISOString();
    const id = randomUUID();
    // What a crashed instance leaves behind: its claim, the job rendering, the lease about to run out.
    await t.app.get(TransactionRunner).run((tx) =>
      t.app.get(EvidencePacksRepository).insert(
        tx,
        Object.assign(new EvidencePackEntity(), {
          id,
          systemId,
          auditId: null,
          frameworks: ['nist-ai-rmf-1.0'],
          asOf: startedAt.toISOString(),
          status: 'rendering',
          requestedBy: t.users.governance_specialist.id,
          requestedAt: startedAt.toISOString(),
          startedAt: startedAt.toISOString(),
          finishedAt: null,
          claimedBy: 'crashed-instance:1:deadbeef',
          leaseUntil,
          attempts: 1,
          error: null,
          pdfSha256: null,
          pageCount: null,
          renderMs: null,
          manifest: null,
        }),
      ),
    );

    // Bound: expiry + one check (a third of the lease) + the render; the rest is slack for a loaded machine.
    const ready = await finished(id, 500 + LEASE_MS + 10000);
    expect(ready.status).toBe('ready');
    expect(ready.claimedBy).not.toBe('crashed-instance:1:deadbeef');
    expect(Number(ready.attempts)).toBe(2);
    const log = await actions(id);
    expect(log.map((e) => e.action)).toEqual(['pack.requeue', 'pack.render.start', 'pack.render.ready']);
    // Not before the lease ran out.
    expect(log[0].at >= leaseUntil).toBe(true);
  });

  it('keeps a render that outlasts the lease claimed by renewing it', async () => {
    renderer.hold = true;
    const created = await t
      .http()
      .post('/api/v1/packs')
      .set(bearer(t.users.governance_specialist))
      .send({ systemId })
      .expect(202);
    const id = created.body.id as string;
    const first = await until(async () => {
      const current = await row(id);
      return current.status === 'rendering' && current.leaseUntil ? current : undefined;
    }, 'the job to be claimed');
    // Wait until the first lease is long past and a renewal has moved it on, with the job still ours.
    await until(async () => {
      const current = await row(id);
      return Date.now() > Date.parse(first.leaseUntil!) + LEASE_MS && current.leaseUntil! > first.leaseUntil!
        ? true
        : undefined;
    }, 'the lease to be renewed past its first expiry');
    expect(await row(id)).toMatchObject({ status: 'rendering', claimedBy: first.claimedBy });
    renderer.release();
    const done = await finished(id);
    expect(Number(done.attempts)).toBe(1);
    expect(done.leaseUntil).toBeNull();
    expect((await actions(id)).map((e) => e.action)).toEqual([
      'pack.request',
      'pack.render.start',
      'pack.render.ready',
    ]);
  });
});

describe('pack job timeout (e2e, renderer double)', () => {
  let t: TestApp;
  const renderer = new GatedRenderer();
  renderer.hold = true;

  beforeAll(async () => {
    t = await startTestApp({
      // One render worker: the next job starts only after the renderer let go of the last (per worker).
      env: { WORKBENCH_PACK_TIMEOUT_MS: '1000', WORKBENCH_PACK_WORKERS: '1' },
      override: (builder) => builder.overrideProvider(PDF_RENDERER).useValue(renderer),
    });
  });
  afterAll(async () => {
    renderer.release();
    await t?.close();
  });

  it('aborts the render itself at the timeout and starts the next job only after the renderer let go', async () => {
    const specialist = bearer(t.users.governance_specialist);
    const systemId = (await t.http().post('/api/v1/systems').set(specialist).send(minimalSystem()).expect(201)).body.id;
    const ids: string[] = [];
    for (let i = 0; i < 2; i++)
      ids.push((await t.http().post('/api/v1/packs').set(specialist).send({ systemId }).expect(202)).body.id);
    for (const id of ids) {
      const failed = await until(async () => {
        const res = await t.http().get(`/api/v1/packs/${id}`).set(specialist).expect(200);
        return res.body.status === 'failed' ? res.body : undefined;
      }, `pack ${id} to fail on the timeout`);
      expect(failed.error).toMatch(/longer than 1000 ms/);
    }
    expect(renderer.aborted).toHaveLength(2);
    expect(renderer.maxInFlight).toBe(1);
  });
});

describe('ChromiumPdfRenderer abort (real Chromium)', () => {
  const html = `<!DOCTYPE html><html><body>${'<p>Evidence register line with enough text to wrap.</p>'.repeat(20000)}</body></html>`;
  const small = '<!DOCTYPE html><html><body><p>next</p></body></html>';
  const options = { timeoutMs: 60000, footer: 'test', outline: false };
  let renderer: ChromiumPdfRenderer;
  let browser: Browser;

  beforeAll(async () => {
    renderer = new ChromiumPdfRenderer(loadConfig({ LOG_LEVEL: 'silent' }));
    await renderer.render(small, options);
    // The browser is private; read here only to time the aborts and to count the contexts left behind.
    browser = await (renderer as unknown as { current: { browser: Promise<Browser> } }).current.browser;
  });
  afterAll(async () => renderer?.close());

  /** Aborts the job at the point `when` picks, then checks it returned at once with nothing left running. */
  async function abortAt(when: (abort: () => void) => void) {
    const controller = new AbortController();
    when(() => controller.abort(new Error('stopped by the test')));
    const startedAt = Date.now();
    const outcome = await renderer.render(html, { ...options, signal: controller.signal }).then(
      () => 'printed',
      (error: Error) => error.message,
    );
    expect(outcome).toBe('stopped by the test');
    expect(Date.now() - startedAt).toBeLessThan(10000);
    // Its context is gone once it has returned: nothing of the aborted job runs beside the next one.
    expect(browser.browserContexts()).toHaveLength(1);
    expect((await renderer.render(small, options)).pdf.subarray(0, 5).toString()).toBe('%PDF-');
  }

  it('stops a print under way when its signal aborts, rejects with the reason, and renders the next job', async () => {
    await abortAt((abort) => {
      void until(
        async () =>
          browser.browserContexts().length > 1 && (await browser.browserContexts()[1].pages()).length > 0
            ? true
            : undefined,
        'the job page',
      ).then(abort);
    });
  });

  it('returns at once when aborted while a new browser opens its first page', async () => {
    // A renderer of its own, whose browser the test gets at as it launches: the job is aborted right after it asks its
    // fresh context for a page.
    const launch = puppeteer.launch.bind(puppeteer);
    const spy = jest.spyOn(puppeteer, 'launch').mockImplementation(async (...args) => {
      const launched = await launch(...args);
      const createContext = launched.createBrowserContext.bind(launched);
      (launched as { createBrowserContext: Browser['createBrowserContext'] }).createBrowserContext = async (
        ...contextArgs
      ) => {
        const context = await createContext(...contextArgs);
        const newPage = context.newPage.bind(context);
        context.newPage = (...pageArgs) => {
          const page = newPage(...pageArgs);
          abortFresh();
          return page;
        };
        return context;
      };
      return launched;
    });
    const fresh = new ChromiumPdfRenderer(loadConfig({ LOG_LEVEL: 'silent' }));
    const controller = new AbortController();
    const abortFresh = () => controller.abort(new Error('stopped by the test'));
    try {
      const startedAt = Date.now();
      const outcome = await fresh.render(html, { ...options, signal: controller.signal }).then(
        () => 'printed',
        (error: Error) => error.message,
      );
      expect(outcome).toBe('stopped by the test');
      expect(Date.now() - startedAt).toBeLessThan(10000);
    } finally {
      spy.mockRestore();
      await fresh.close();
    }
  });
});
