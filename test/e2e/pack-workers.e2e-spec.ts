import { PDF_RENDERER, PdfRenderer, PdfRenderOptions, RenderedPdf } from '../../src/pdf/chromium-pdf-renderer';
import { minimalSystem } from '../factories/systems';
import { bearer, startTestApp, TestApp } from '../factories/test-app';
import { waitFor } from '../factories/wait-for';

const FAKE_PDF = Buffer.from('%PDF-1.4\n%%EOF\n');
const WORKERS = 3;

/** A renderer double that holds every render until released, counting renders and how many ran at once. */
class HeldRenderer implements PdfRenderer {
  inFlight = 0;
  maxInFlight = 0;
  renders = 0;
  private releases: (() => void)[] = [];

  async render(_html: string, _options: PdfRenderOptions): Promise<RenderedPdf> {
    this.renders++;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await new Promise<void>((resolve) => this.releases.push(resolve));
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

/** WORKBENCH_PACK_WORKERS render workers per instance (issue 18.6): that many jobs at once, each rendered once. */
describe('pack render workers (e2e, renderer double)', () => {
  let t: TestApp;
  const renderer = new HeldRenderer();

  beforeAll(async () => {
    t = await startTestApp({
      env: { WORKBENCH_PACK_WORKERS: String(WORKERS) },
      override: (builder) => builder.overrideProvider(PDF_RENDERER).useValue(renderer),
    });
  });
  afterAll(async () => {
    renderer.release();
    await t?.close();
  });

  it(`renders ${WORKERS} jobs at once, never more, and each job exactly once`, async () => {
    const specialist = bearer(t.users.governance_specialist);
    const systemId = (await t.http().post('/api/v1/systems').set(specialist).send(minimalSystem()).expect(201)).body.id;
    const ids: string[] = [];
    for (let i = 0; i < WORKERS + 2; i++)
      ids.push((await t.http().post('/api/v1/packs').set(specialist).send({ systemId }).expect(202)).body.id);
    await waitFor(() => Promise.resolve(renderer.inFlight === WORKERS ? true : undefined), {
      timeoutMs: 20000,
      intervalMs: 20,
      what: `${WORKERS} renders in flight`,
    });
    // Released one wave at a time until every job is ready.
    await waitFor(
      async () => {
        renderer.release();
        const statuses = await Promise.all(
          ids.map(async (id) => (await t.http().get(`/api/v1/packs/${id}`).set(specialist).expect(200)).body.status),
        );
        return statuses.every((s) => s === 'ready') ? true : undefined;
      },
      { timeoutMs: 30000, intervalMs: 50, what: 'every pack ready' },
    );
    expect(renderer.maxInFlight).toBe(WORKERS);
    expect(renderer.renders).toBe(ids.length);
    const starts = await t.dataSource.query<{ entityId: string }[]>(
      `SELECT "entityId" FROM "audit_log" WHERE "action" = 'pack.render.start'`,
    );
    expect(starts.map((s) => s.entityId).sort()).toEqual([...ids].sort());
  });
});
