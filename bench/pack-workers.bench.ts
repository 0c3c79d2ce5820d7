/**
 * Pack render workers benchmark: prints figures, asserts nothing.
 *
 *   npx ts-node --transpile-only bench/pack-workers.bench.ts [workers=2] [packs=6] [rounds=3]
 *
 * Boots the app (SQLite in a temp directory, or a fresh PostgreSQL database beside DATABASE_URL) with a real
 * Chromium, creates one small system, and in `rounds` interleaved pairs queues `packs` small packs of it at once and
 * times them until all are ready: once with one render worker (the baseline, the worker as it was) and once with
 * `workers` (WORKBENCH_PACK_WORKERS; the setting is read on every wake, so the bench changes it between rounds).
 * The pair's order alternates (1 then N, N then 1, ...), so neither side is always the one after the other's
 * leftovers. Readiness is polled with one SELECT of the batch's rows every 10 ms: the bench's client runs in the
 * server's process, and polling each pack over HTTP (6 in-process requests every 50 ms) took a share of the very
 * thread the render workers share. Packs/min counts from the first request to the last pack's finishedAt.
 * Prints packs/min per round, medians and the ratio, and checks each pack was rendered once (one render start each).
 */
import { APP_CONFIG, AppConfig } from '../src/config/app.config';
import { minimalSystem } from '../test/factories/systems';
import { bearer, startTestApp } from '../test/factories/test-app';
import { waitFor } from '../test/factories/wait-for';

const WORKERS = Number(process.argv[2] ?? 2);
const PACKS = Number(process.argv[3] ?? 6);
const ROUNDS = Number(process.argv[4] ?? 3);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

async function main() {
  const t = await startTestApp({
    env: { WORKBENCH_PACK_WORKERS: String(WORKERS), WORKBENCH_PACK_TIMEOUT_MS: '600000' },
  });
  try {
    const config = t.app.get<AppConfig>(APP_CONFIG);
    const specialist = bearer(t.users.governance_specialist);
    const created = await t.http().post('/api/v1/systems').set(specialist).send(minimalSystem()).expect(201);
    const systemId = (created.body as { id: string }).id;
    const batch = async (workers: number) => {
      config.packWorkers = workers;
      const started = Date.now();
      const ids: string[] = [];
      for (let i = 0; i < PACKS; i++)
        ids.push(
          ((await t.http().post('/api/v1/packs').set(specialist).send({ systemId }).expect(202)).body as { id: string })
            .id,
        );
      const placeholders = ids.map((_, i) => (t.database.kind === 'postgres' ? `$${i + 1}` : '?')).join(', ');
      const finished = await waitFor(
        async () => {
          const rows = await t.dataSource.query<{ status: string; finishedAt: string | Date | null }[]>(
            `SELECT "status", "finishedAt" FROM "evidence_packs" WHERE "id" IN (${placeholders})`,
            ids,
          );
          if (rows.some((row) => row.status === 'failed')) throw new Error('a pack failed');
          return rows.length === ids.length && rows.every((row) => row.status === 'ready')
            ? Math.max(...rows.map((row) => new Date(row.finishedAt!).getTime()))
            : undefined;
        },
        { timeoutMs: 300_000, intervalMs: 10, what: 'every pack ready' },
      );
      return (PACKS / (finished - started)) * 60_000;
    };
    await batch(1); // warm-up: Chromium launch, templates, statement cache
    const one: number[] = [];
    const many: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      if (round % 2 === 0) {
        one.push(await batch(1));
        many.push(await batch(WORKERS));
      } else {
        many.push(await batch(WORKERS));
        one.push(await batch(1));
      }
      console.log(
        `round ${round + 1}: 1 worker ${one[round].toFixed(1)} packs/min; ${WORKERS} workers ${many[round].toFixed(1)} packs/min`,
      );
    }
    const starts = await t.dataSource.query<{ n: string | number }[]>(
      `SELECT COUNT(*) AS "n", COUNT(DISTINCT "entityId") AS "d" FROM "audit_log" WHERE "action" = 'pack.render.start'`,
    );
    console.log(`database: ${t.database.kind}; ${PACKS} small packs queued at once per round`);
    console.table([
      {
        'packs/min, 1 worker (median)': Number(median(one).toFixed(1)),
        [`packs/min, ${WORKERS} workers (median)`]: Number(median(many).toFixed(1)),
        ratio: Number((median(many) / median(one)).toFixed(2)),
        'render starts / distinct packs': `${Number(starts[0].n)} / ${Number((starts[0] as unknown as { d: string }).d)}`,
      },
    ]);
  } finally {
    await t.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
