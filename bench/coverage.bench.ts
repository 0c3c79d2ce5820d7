/**
 * Coverage benchmark: prints figures, asserts nothing.
 *
 *   npx ts-node --transpile-only bench/coverage.bench.ts [systems] [evidencePerSystem]
 *
 * Boots the app (SQLite in a temp directory, or a fresh PostgreSQL database beside DATABASE_URL) with migrations and
 * policies loaded, creates one all-frameworks system over HTTP as a template, then seeds `systems` copies of it
 * (default 1000) with one control_implementations row per control (up to 100) and `evidencePerSystem` evidence rows
 * (default 10) each linked to two controls, by multi-row INSERTs (no files). Times CoverageService.forSystem for 50
 * random systems, then GET /api/v1/systems/:id/coverage for the same systems over HTTP.
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { EntityManager } from 'typeorm';
import { AiSystemEntity } from '../src/ai-systems/entities/ai-system.entity';
import { CoverageService } from '../src/controls/coverage.service';
import { insertRows } from '../src/database/bulk-insert';
import { TransactionRunner } from '../src/database/transaction-runner';
import { allFrameworksSystem } from '../test/factories/systems';
import { startTestApp, TestApp } from '../test/factories/test-app';

const SYSTEMS = Number(process.argv[2] ?? 1000);
const EVIDENCE_PER_SYSTEM = Number(process.argv[3] ?? 10);
const CONTROLS_PER_SYSTEM = 100;
const SAMPLES = 50;

type Row = Record<string, unknown>;

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}

function summary(label: string, times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  const round = (ms: number) => Number(ms.toFixed(2));
  return {
    label,
    samples: sorted.length,
    'p50 ms': round(percentile(sorted, 50)),
    'p95 ms': round(percentile(sorted, 95)),
    'max ms': round(sorted[sorted.length - 1]),
  };
}

/** The rows as read by SELECT * (values in the database's form), in chunked multi-row INSERTs. */
function insertRecords(manager: EntityManager, table: string, rows: Row[]): Promise<void> {
  const columns = rows.length > 0 ? Object.keys(rows[0]) : [];
  return insertRows(
    manager,
    table,
    columns,
    rows.map((row) => columns.map((c) => row[c])),
  );
}

export interface SeedResult {
  systemIds: string[];
  counts: Record<'ai_systems' | 'control_implementations' | 'evidence' | 'evidence_controls', number>;
  controlsPerSystem: number;
}

/**
 * Copies of the template system with their implementations and evidence rows, in one transaction through the app's
 * TransactionRunner: on SQLite every write must join its one queue, or it collides with the pack worker's.
 */
export async function seedCoverageSystems(
  t: TestApp,
  templateId: string,
  systems: number,
  evidencePerSystem: number,
): Promise<SeedResult> {
  const { dataSource } = t;
  const param = t.database.kind === 'postgres' ? '$1' : '?';
  const [template] = await dataSource.query<Row[]>(`SELECT * FROM "ai_systems" WHERE "id" = ${param}`, [templateId]);
  const codes = (await dataSource.query<{ code: string }[]>(`SELECT "code" FROM "controls" ORDER BY "code"`))
    .map((r) => r.code)
    .slice(0, CONTROLS_PER_SYSTEM);
  const now = new Date().toISOString();
  const statuses = ['not_started', 'in_progress', 'implemented', 'implemented'];
  const systemIds: string[] = [];
  const counts = { ai_systems: 0, control_implementations: 0, evidence: 0, evidence_controls: 0 };
  // Seeded per batch of systems, so memory stays flat for large runs.
  const BATCH = 200;
  await t.app.get(TransactionRunner).run(async (manager) => {
    const run = (table: string, rows: Row[]) => insertRecords(manager, table, rows);
    for (let from = 0; from < systems; from += BATCH) {
      const batch: Row[] = [];
      const implementations: Row[] = [];
      const evidence: Row[] = [];
      const links: Row[] = [];
      for (let s = from; s < Math.min(systems, from + BATCH); s++) {
        const id = randomUUID();
        systemIds.push(id);
        batch.push({ ...template, id, name: `Bench system ${s}` });
        codes.forEach((code, i) => {
          implementations.push({
            id: randomUUID(),
            systemId: id,
            controlCode: code,
            status: statuses[(s + i) % statuses.length],
            statement: '',
            owner: '',
            updatedAt: now,
          });
        });
        for (let e = 0; e < evidencePerSystem; e++) {
          const evidenceId = randomUUID();
          evidence.push({
            id: evidenceId,
            systemId: id,
            kind: 'test_report',
            title: `Bench evidence ${s}-${e}`,
            sha256: randomUUID().replace(/-/g, '').padEnd(64, '0'),
            sizeBytes: 1024,
            mediaType: 'text/plain',
            fileName: `evidence-${e}.txt`,
            collectedAt: now,
            uploadedAt: now,
            uploadedBy: t.users.engineer.id,
            modelVersion: '',
            reviewStatus: e % 3 === 0 ? 'submitted' : 'accepted',
          });
          const first = codes[(s + e) % codes.length];
          const second = codes[(s + e + 1) % codes.length];
          links.push({ evidenceId, controlCode: first });
          if (second !== first) links.push({ evidenceId, controlCode: second });
        }
      }
      await run('ai_systems', batch);
      await run('control_implementations', implementations);
      await run('evidence', evidence);
      await run('evidence_controls', links);
      counts.ai_systems += batch.length;
      counts.control_implementations += implementations.length;
      counts.evidence += evidence.length;
      counts.evidence_controls += links.length;
    }
  });
  return { systemIds, counts, controlsPerSystem: codes.length };
}

/** One history row per seeded implementation, so coverage reads their statuses (it reads status as of now). */
export async function seedStatusHistory(t: TestApp): Promise<void> {
  await t.app.get(TransactionRunner).run(async (tx) => {
    await tx.query(
      `INSERT INTO "control_status_changes" ("id", "implementationId", "systemId", "controlCode", "fromStatus", "status", "justification", "actor", "changedAt")
       SELECT i."id", i."id", i."systemId", i."controlCode", NULL, i."status", NULL, 'bench', i."updatedAt"
       FROM "control_implementations" i
       WHERE NOT EXISTS (SELECT 1 FROM "control_status_changes" c WHERE c."implementationId" = i."id")`,
    );
  });
}

async function main() {
  const t = await startTestApp({ listen: true });
  try {
    const { dataSource } = t;
    const specialist = { Authorization: `Bearer ${t.users.governance_specialist.token}` };
    const created = await t.http().post('/api/v1/systems').set(specialist).send(allFrameworksSystem()).expect(201);
    const templateId = (created.body as { id: string }).id;
    const seedStarted = Date.now();
    const { systemIds, counts, controlsPerSystem } = await seedCoverageSystems(
      t,
      templateId,
      SYSTEMS,
      EVIDENCE_PER_SYSTEM,
    );
    const seedMs = Date.now() - seedStarted;
    const totals: Row = {};
    for (const table of Object.keys(counts)) {
      totals[table] = Number(
        (await dataSource.query<{ n: number | string }[]>(`SELECT COUNT(*) AS "n" FROM "${table}"`))[0].n,
      );
    }
    console.log(
      `database: ${t.database.kind}; seeded in ${seedMs} ms (controls per system: ${controlsPerSystem}, evidence per system: ${EVIDENCE_PER_SYSTEM})`,
    );
    console.table([
      { label: 'inserted', ...counts },
      { label: 'rows in table', ...totals },
    ]);

    const sample = Array.from({ length: SAMPLES }, () => systemIds[Math.floor(Math.random() * systemIds.length)]);
    const coverage = t.app.get(CoverageService);
    const systems = dataSource.getRepository(AiSystemEntity);
    await coverage.forSystem((await systems.findOneBy({ id: sample[0] }))!); // warm-up: catalog index, statement cache
    const serviceTimes: number[] = [];
    for (const id of sample) {
      const system = (await systems.findOneBy({ id }))!;
      const started = process.hrtime.bigint();
      await coverage.forSystem(system);
      serviceTimes.push(Number(process.hrtime.bigint() - started) / 1e6);
    }

    const { port } = (t.app.getHttpServer() as Server).address() as AddressInfo;
    const url = (id: string) => `http://127.0.0.1:${port}/api/v1/systems/${id}/coverage`;
    await fetch(url(sample[0]), { headers: specialist });
    const httpTimes: number[] = [];
    for (const id of sample) {
      const started = process.hrtime.bigint();
      const res = await fetch(url(id), { headers: specialist });
      await res.arrayBuffer();
      httpTimes.push(Number(process.hrtime.bigint() - started) / 1e6);
      if (res.status !== 200) throw new Error(`GET coverage answered ${res.status}`);
    }
    console.table([
      summary('CoverageService.forSystem', serviceTimes),
      summary('GET /api/v1/systems/:id/coverage', httpTimes),
    ]);
  } finally {
    await t.close();
  }
}

// Imported by a test for its seeding; runs only when started as a script.
if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
