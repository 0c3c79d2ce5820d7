import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadPolicySet } from '../../src/catalog/policy-files';
import { PolicyLoader } from '../../src/catalog/policy-loader.service';
import { CLOCK, Clock } from '../../src/common/time';
import { CoverageSummariesRepository } from '../../src/controls/coverage-summaries.repository';
import { CoverageSummaryService } from '../../src/controls/coverage-summary.service';
import { CoverageSummaryStateEntity } from '../../src/controls/entities/coverage-summary.entity';
import { TransactionRunner } from '../../src/database/transaction-runner';
import { allFrameworksSystem, minimalSystem } from '../factories/systems';
import { bearer, startTestApp, TestApp } from '../factories/test-app';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const HOUR_MS = 3_600_000;

interface Counts {
  framework: string;
  applicable: number;
  covered: number;
  partial: number;
  gap: number;
  notApplicable: number;
}

/**
 * The dashboard's coverage summaries (issue 18.2): after each kind of change that alters coverage and a refresh,
 * the stored summary equals the coverage computed from the records; a stale writer never replaces a newer summary;
 * the dashboard pages through every system in risk-tier then gap order.
 */
describe('coverage summaries and the paged dashboard (e2e)', () => {
  let t: TestApp;
  let offset = 0;
  const clock: Clock = { now: () => new Date(Date.parse('2026-11-20T10:00:00.000Z') + offset) };
  let systemId: string;

  beforeAll(async () => {
    t = await startTestApp({
      env: { WORKBENCH_COVERAGE_SUMMARY_SECONDS: '0', WORKBENCH_SWEEP_INTERVAL_MINUTES: '0' },
      override: (builder) => builder.overrideProvider(CLOCK).useValue(clock),
    });
    systemId = (
      await t
        .http()
        .post('/api/v1/systems')
        .set(specialist())
        .send(allFrameworksSystem({ name: 'Summarised' }))
        .expect(201)
    ).body.id;
  });
  afterAll(async () => t?.close());

  const specialist = () => bearer(t.users.governance_specialist);
  const engineer = () => bearer(t.users.engineer);
  const refresh = () => t.app.get(CoverageSummaryService).refresh();
  const tick = () => (offset += 60_000);

  const stored = async (id: string): Promise<Counts[]> =>
    (
      await t.dataSource.query<Counts[]>(
        `SELECT "framework", "applicable", "covered", "partial", "gap", "notApplicable" FROM "coverage_summaries"
         WHERE "systemId" = '${id}' ORDER BY "framework"`,
      )
    ).map((r) => ({
      ...r,
      applicable: +r.applicable,
      covered: +r.covered,
      partial: +r.partial,
      gap: +r.gap,
      notApplicable: +r.notApplicable,
    }));
  const computed = async (id: string): Promise<Counts[]> => {
    const res = await t.http().get(`/api/v1/systems/${id}/coverage`).set(specialist()).expect(200);
    return (res.body.frameworks as Array<Counts & { applies: boolean }>)
      .filter((f) => f.applies)
      .map(({ framework, applicable, covered, partial, gap, notApplicable }) => ({
        framework,
        applicable,
        covered,
        partial,
        gap,
        notApplicable,
      }))
      .sort((a, b) => (a.framework < b.framework ? -1 : 1));
  };
  const state = async (id: string) => (await t.app.get(CoverageSummariesRepository).findStates([id])).get(id)!;

  async function upload(code: string, validUntil?: string): Promise<string> {
    const req = t
      .http()
      .post(`/api/v1/systems/${systemId}/evidence`)
      .set(engineer())
      .field('controlCodes[]', code)
      .field('title', `Evidence for ${code}`)
      .field('kind', 'document')
      .field('collectedAt', new Date(clock.now().getTime() - 60_000).toISOString());
    if (validUntil) req.field('validUntil', validUntil);
    const res = await req.attach('file', PDF, { filename: 'report.pdf', contentType: 'application/pdf' }).expect(201);
    return (res.body as { id: string }).id;
  }

  it('matches the computed coverage after each kind of change, and recomputes only what changed', async () => {
    expect(await refresh()).toMatchObject({ recomputed: 1, unchanged: 0 });
    expect(await stored(systemId)).toEqual(await computed(systemId));
    expect(await refresh()).toMatchObject({ recomputed: 0, unchanged: 1 });

    const controls = await t.http().get(`/api/v1/systems/${systemId}/controls`).set(specialist()).expect(200);
    const code = (controls.body as Array<{ controlCode: string }>)[0].controlCode;
    const coveredBefore = (await stored(systemId)).reduce((n, f) => n + f.covered + f.partial, 0);
    const changes: Array<[string, () => Promise<unknown>]> = [
      [
        'control status',
        () =>
          t
            .http()
            .patch(`/api/v1/systems/${systemId}/controls/${code}`)
            .set(specialist())
            .send({ status: 'implemented' })
            .expect(200),
      ],
      [
        'evidence review',
        async () => {
          const id = await upload(code, new Date(clock.now().getTime() + 2 * HOUR_MS).toISOString());
          tick();
          await t
            .http()
            .post(`/api/v1/evidence/${id}/review`)
            .set(specialist())
            .send({ decision: 'accepted' })
            .expect(200);
        },
      ],
      [
        'requirement decision',
        async () => {
          const gdpr = (await computed(systemId)).find((f) => f.framework === 'gdpr');
          expect(gdpr).toBeDefined();
          const coverage = await t.http().get(`/api/v1/systems/${systemId}/coverage`).set(specialist()).expect(200);
          const ref = (
            coverage.body.frameworks as Array<{
              framework: string;
              requirements: Array<{ ref: string; status: string }>;
            }>
          )
            .find((f) => f.framework === 'gdpr')!
            .requirements.find((r) => r.status === 'gap')!.ref;
          await t
            .http()
            .put(`/api/v1/systems/${systemId}/requirements/decision`)
            .set(specialist())
            .send({ framework: 'gdpr', ref, decision: 'excluded', rationale: 'Handled by the group DPO.' })
            .expect(200);
        },
      ],
      [
        'applicability facts',
        () => t.http().patch(`/api/v1/systems/${systemId}`).set(specialist()).send({ phi: false }).expect(200),
      ],
    ];
    for (const [kind, change] of changes) {
      tick();
      const before = await stored(systemId);
      await change();
      expect([kind, await refresh()]).toEqual([kind, expect.objectContaining({ recomputed: 1 })]);
      expect([kind, await stored(systemId)]).toEqual([kind, await computed(systemId)]);
      expect([kind, await stored(systemId)]).not.toEqual([kind, before]);
    }
    expect((await stored(systemId)).reduce((n, f) => n + f.covered + f.partial, 0)).not.toBe(coveredBefore);
  });

  it('recomputes when evidence expires with no write at all', async () => {
    expect((await state(systemId)).staleEvidence).toBe(0);
    const covered = await stored(systemId);
    offset += 3 * HOUR_MS;
    expect(await refresh()).toMatchObject({ recomputed: 1 });
    expect(await stored(systemId)).toEqual(await computed(systemId));
    expect(await stored(systemId)).not.toEqual(covered);
    expect((await state(systemId)).staleEvidence).toBe(1);
  });

  it('recomputes every system after a policy reload that changes the catalog', async () => {
    const root = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wb-policies-')), 'policies');
    fs.cpSync(path.join(process.cwd(), 'policies'), root, { recursive: true });
    const file = path.join(root, 'frameworks', 'nist-ai-rmf-1.0.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('version: "1.0"', 'version: "1.0 (errata 1)"'));
    const loader = t.app.get(PolicyLoader);
    await loader.load(loadPolicySet(root));
    try {
      expect(await refresh()).toMatchObject({ recomputed: 1, unchanged: 0 });
      expect(await stored(systemId)).toEqual(await computed(systemId));
    } finally {
      await loader.load();
      await refresh();
    }
  });

  it('never lets a writer holding older inputs replace a newer summary', async () => {
    const current = await state(systemId);
    const rows = await stored(systemId);
    const older = Object.assign(new CoverageSummaryStateEntity(), {
      ...current,
      inputsSeq: current.inputsSeq - 1,
      gaps: 999,
    });
    const replaced = await t.app
      .get(TransactionRunner)
      .run((tx) => t.app.get(CoverageSummariesRepository).replaceIfNewer(tx, older, []));
    expect(replaced).toBe(false);
    expect((await state(systemId)).gaps).toBe(current.gaps);
    expect(await stored(systemId)).toEqual(rows);
    const sameHeadEarlier = Object.assign(new CoverageSummaryStateEntity(), {
      ...current,
      computedAt: '2000-01-01T00:00:00.000Z',
      gaps: 999,
    });
    expect(
      await t.app
        .get(TransactionRunner)
        .run((tx) => t.app.get(CoverageSummariesRepository).replaceIfNewer(tx, sameHeadEarlier, [])),
    ).toBe(false);
    expect((await state(systemId)).gaps).toBe(current.gaps);
  });

  it('pages through every system, highest risk tier first, then most gaps', async () => {
    for (let n = 0; n < 54; n++)
      await t
        .http()
        .post('/api/v1/systems')
        .set(specialist())
        .send(minimalSystem({ name: `Helper ${n}` }))
        .expect(201);
    const ids = (html: string) =>
      [...html.matchAll(/<th scope="row"><a href="\/systems\/([0-9a-f-]{36})">/g)].map((m) => m[1]);
    const first = await t.http().get('/').set(specialist()).expect(200);
    const second = await t.http().get('/?page=2').set(specialist()).expect(200);
    const onFirst = ids(first.text);
    const onSecond = ids(second.text);
    expect([onFirst.length, onSecond.length]).toEqual([50, 5]);
    expect(new Set([...onFirst, ...onSecond]).size).toBe(55);
    // The high-risk all-frameworks system leads, before the 54 minimal-risk helpers.
    expect(onFirst[0]).toBe(systemId);
    await t.http().get('/?page=0').set(specialist()).expect(400);
    const count = await t.dataSource.query<{ n: string | number }[]>(
      `SELECT COUNT(*) AS "n" FROM "coverage_summary_states"`,
    );
    expect(Number(count[0].n)).toBe(55);
  });
});
