/**
 * Task sweep benchmark: prints figures, asserts nothing.
 *
 *   npx ts-node --transpile-only bench/sweep.bench.ts [systems] [rounds] [sample] [all]
 *
 * Boots the app (SQLite in a temp directory, or a fresh PostgreSQL database beside DATABASE_URL), seeds `systems`
 * copies (default 1000) of a system (minimalSystem; `all`: allFrameworksSystem) with 100 control implementations, their
 * status history and 10 evidence rows each (bench/coverage.bench.ts seeding), and runs the first sweep, which looks at
 * every system and opens their tasks. Then `rounds` (default 3) interleaved pairs of idempotent sweeps:
 * - baseline: the stored states of `sample` random systems (default 100) deleted, so the sweep looks at them as every
 *   idempotent sweep did before issue 18.5; its time per system looked at, times `systems`, is the old full sweep;
 * - skipping: the sweep as it runs, every system unchanged.
 * Prints medians and the ratio, then adds a system and changes one control of another and shows that the next sweep
 * looks at exactly those two.
 */
import { randomUUID } from 'node:crypto';
import { allFrameworksSystem, minimalSystem } from '../test/factories/systems';
import { startTestApp } from '../test/factories/test-app';
import { TransactionRunner } from '../src/database/transaction-runner';
import { TaskSweepService } from '../src/tasks/task-sweep.service';
import { seedCoverageSystems, seedStatusHistory } from './coverage.bench';

const SYSTEMS = Number(process.argv[2] ?? 1000);
const ROUNDS = Number(process.argv[3] ?? 3);
const SAMPLE = Math.min(SYSTEMS, Number(process.argv[4] ?? 100));
const TEMPLATE = process.argv[5] === 'all' ? allFrameworksSystem : minimalSystem;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

async function main() {
  const t = await startTestApp({ env: { WORKBENCH_SWEEP_INTERVAL_MINUTES: '0' } });
  try {
    const specialist = { Authorization: `Bearer ${t.users.governance_specialist.token}` };
    const created = await t.http().post('/api/v1/systems').set(specialist).send(TEMPLATE()).expect(201);
    const templateId = (created.body as { id: string }).id;
    const { systemIds } = await seedCoverageSystems(t, templateId, SYSTEMS - 1, 10);
    await seedStatusHistory(t);
    const sweep = t.app.get(TaskSweepService);
    const timed = async () => {
      const started = process.hrtime.bigint();
      const result = await sweep.run();
      return { ms: Number(process.hrtime.bigint() - started) / 1e6, result };
    };
    const first = await timed();
    console.log(
      `database: ${t.database.kind}; ${SYSTEMS} systems; first sweep (looks at every system) ${first.ms.toFixed(0)} ms, ` +
        `${first.result.created} tasks opened`,
    );
    const forget = (ids: string[]) =>
      t.app.get(TransactionRunner).run(async (tx) => {
        for (const id of ids) await tx.query(`DELETE FROM "task_sweep_states" WHERE "systemId" = '${id}'`);
      });
    const perSystem: number[] = [];
    const skipping: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const sample = [...systemIds].sort(() => Math.random() - 0.5).slice(0, SAMPLE);
      await forget(sample);
      const full = await timed();
      const skip = await timed();
      if (full.result.created !== 0 || skip.result.created !== 0) throw new Error('an idempotent sweep opened tasks');
      perSystem.push(full.ms / full.result.systems);
      skipping.push(skip.ms);
      console.log(
        `round ${round + 1}: ${full.result.systems} systems looked at in ${full.ms.toFixed(0)} ms; ` +
          `all unchanged ${skip.ms.toFixed(0)} ms (${skip.result.unchanged} skipped, ${skip.result.systems} looked at)`,
      );
    }
    const baseline = median(perSystem) * SYSTEMS;
    console.table([
      {
        'idempotent sweep': `${SYSTEMS} systems`,
        'baseline: every system looked at, ms (from the sample)': Math.round(baseline),
        'first sweep ms': Math.round(first.ms),
        'skipping unchanged, median ms': Math.round(median(skipping)),
        speed_up: Number((baseline / median(skipping)).toFixed(1)),
      },
    ]);
    await t
      .http()
      .post('/api/v1/systems')
      .set(specialist)
      .send(minimalSystem({ name: `Added ${randomUUID().slice(0, 8)}` }))
      .expect(201);
    const [{ controlCode }] = await t.dataSource.query<{ controlCode: string }[]>(
      `SELECT "controlCode" FROM "control_implementations" ORDER BY "controlCode" LIMIT 1`,
    );
    await t
      .http()
      .patch(`/api/v1/systems/${systemIds[0]}/controls/${controlCode}`)
      .set(specialist)
      .send({ status: 'in_progress' })
      .expect(200);
    const after = await timed();
    console.log(
      `after one new system and one control change: ${after.result.systems} looked at, ${after.result.unchanged} skipped, ` +
        `${after.ms.toFixed(0)} ms`,
    );
  } finally {
    await t.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
