import * as fs from 'node:fs';
import * as path from 'node:path';
import { seedCoverageSystems } from '../../bench/coverage.bench';
import { holdWrites } from '../factories/hold-writes';
import { allFrameworksSystem } from '../factories/systems';
import { bearer, startTestApp, TestApp } from '../factories/test-app';

const ROOT = path.resolve(__dirname, '../..');

/**
 * Scripts and benchmarks write through TransactionRunner (issue 24.6). On SQLite the driver shares one connection:
 * a transaction opened beside the runner's queue nests inside whichever transaction is open (the pack worker's, say)
 * and fails or commits with it ("Transaction is not started yet").
 */
describe('writes from scripts and benchmarks (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('seeds the coverage benchmark in its own transaction, after a write that holds the database', async () => {
    const templateId = (
      await t
        .http()
        .post('/api/v1/systems')
        .set(bearer(t.users.governance_specialist))
        .send(allFrameworksSystem())
        .expect(201)
    ).body.id;
    const hold = await holdWrites(t, 'ai_systems', templateId);
    const seeding = seedCoverageSystems(t, templateId, 3, 2);
    try {
      // SQLite: the seed waits in the write queue behind the hold. PostgreSQL runs transactions side by side, and
      // the seed touches no row the hold locks.
      if (t.database.kind === 'sqlite') await hold.waitForWriters(1);
      else await seeding;
    } finally {
      await hold.release();
    }
    const { systemIds, counts } = await seeding;
    expect(systemIds).toHaveLength(3);
    expect(counts.evidence).toBe(6);
    const param = t.database.kind === 'postgres' ? '$1' : '?';
    const stored = await t.dataSource.query<{ n: number | string }[]>(
      `SELECT COUNT(*) AS "n" FROM "ai_systems" WHERE "name" LIKE ${param}`,
      ['Bench system %'],
    );
    expect(Number(stored[0].n)).toBe(3);
  });

  it('leaves no script or benchmark that opens a transaction or query runner of its own', () => {
    const offenders: string[] = [];
    for (const dir of ['scripts', 'bench']) {
      for (const name of fs.readdirSync(path.join(ROOT, dir)).filter((f) => /\.(ts|js)$/.test(f))) {
        const source = fs.readFileSync(path.join(ROOT, dir, name), 'utf8');
        source.split('\n').forEach((line, i) => {
          if (/\.transaction\(|createQueryRunner\(|startTransaction\(/.test(line))
            offenders.push(`${dir}/${name}:${i + 1}: ${line.trim()}`);
        });
      }
    }
    expect(offenders).toEqual([]);
  });
});
