import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { checkLinks, GENESIS_HASH } from '../../src/audit-log/audit-chain';
import { loadConfig } from '../../src/config/app.config';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { createTestDatabase, makeTempDir, TestDatabase } from '../factories/test-database';

// The AuditPeriodsControlHistoryTests migration of each database kind, by its timestamp.
const MIGRATION = { sqlite: 1796128579562, postgres: 1796128654528 };
const SYSTEM = '00000000-0000-4000-8000-0000000000a1';
const AUDIT = '00000000-0000-4000-8000-0000000000b1';

/** Existing implementations get their first status-history row, existing audits become point-in-time, all audited. */
describe('AuditPeriodsControlHistoryTests migration', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  const implementations = [
    { id: '00000000-0000-4000-8000-0000000000c1', code: 'AIG-T-01', status: 'implemented', justification: null },
    {
      id: '00000000-0000-4000-8000-0000000000c2',
      code: 'AIG-T-02',
      status: 'not_applicable',
      justification: 'No data of this kind is kept.',
    },
  ];

  beforeAll(async () => {
    database = await createTestDatabase(makeTempDir());
    const options = dataSourceOptions(loadConfig({ WORKBENCH_DATA_DIR: makeTempDir(), ...database.env }).database);
    const folder = path.dirname(String((options.migrations as string[])[0]));
    const before = fs
      .readdirSync(folder)
      .filter((f) => /^\d+-.*\.ts$/.test(f) && Number(f.split('-')[0]) < MIGRATION[database.kind])
      .map((f) => path.join(folder, f));
    const old = new DataSource({ ...options, migrations: before });
    await old.initialize();
    await old.runMigrations();
    const p = (n: number) => (database.kind === 'postgres' ? `$${n}` : '?');
    const values = (n: number) => [...Array(n).keys()].map((i) => p(i + 1)).join(', ');
    await old.query(
      `INSERT INTO "ai_systems" ("id", "name", "purpose", "owner", "lifecycleStage", "modelKind", "useCaseDomain", "thirdPartyModels", "autonomy", "jurisdictions", "computedRiskTier", "riskTierReason", "soc2Categories", "applicabilityReviewFacts", "createdAt", "updatedAt") VALUES (${values(16)})`,
      [
        SYSTEM,
        'Legacy system',
        'p',
        'o',
        'deployed',
        'predictive',
        'other',
        '[]',
        'human_in_the_loop',
        '[]',
        'minimal',
        'r',
        '[]',
        '[]',
        '2026-01-01T00:00:00.000Z',
        '2026-01-01T00:00:00.000Z',
      ],
    );
    for (const [n, i] of implementations.entries()) {
      await old.query(
        `INSERT INTO "controls" ("code", "title", "objective", "domain", "ownerRole", "typicalEvidence", "testProcedure", "reviewFrequency", "position") VALUES (${values(9)})`,
        [i.code, 't', 'o', 'governance', 'engineer', '[]', 'tp', 'annual', n],
      );
      await old.query(
        `INSERT INTO "control_implementations" ("id", "systemId", "controlCode", "status", "justification", "updatedAt") VALUES (${values(6)})`,
        [i.id, SYSTEM, i.code, i.status, i.justification, `2026-03-0${n + 1}T00:00:00.000Z`],
      );
    }
    await old.query(
      `INSERT INTO "audits" ("id", "name", "frameworks", "periodStart", "periodEnd", "createdBy", "createdAt") VALUES (${values(7)})`,
      [
        AUDIT,
        'Legacy audit',
        '[]',
        '2026-01-01T00:00:00.000Z',
        '2026-06-30T00:00:00.000Z',
        SYSTEM,
        '2026-01-01T00:00:00.000Z',
      ],
    );
    await old.destroy();
    dataSource = new DataSource(options);
    await dataSource.initialize();
    await dataSource.runMigrations();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('gives every existing implementation one first history row, from its last update, with its status', async () => {
    const rows: Array<Record<string, unknown>> = await dataSource.query(
      `SELECT "implementationId", "systemId", "controlCode", "fromStatus", "status", "justification", "actor", "changedAt" FROM "control_status_changes" ORDER BY "controlCode"`,
    );
    expect(rows).toEqual(
      implementations.map((i, n) => ({
        implementationId: i.id,
        systemId: SYSTEM,
        controlCode: i.code,
        fromStatus: null,
        status: i.status,
        justification: i.justification,
        actor: `migration:AuditPeriodsControlHistoryTests${MIGRATION[database.kind]}`,
        changedAt: `2026-03-0${n + 1}T00:00:00.000Z`,
      })),
    );
  });

  it('makes existing audits point-in-time audits with their period and no assertion', async () => {
    const [audit] = await dataSource.query(`SELECT * FROM "audits"`);
    expect(audit).toMatchObject({
      type: 'point_in_time',
      periodStart: '2026-01-01T00:00:00.000Z',
      periodEnd: '2026-06-30T00:00:00.000Z',
      assertionText: null,
      assertionSignedAt: null,
    });
  });

  it('audits both changes in an intact chain', async () => {
    const entries = await dataSource.query(`SELECT * FROM "audit_log" ORDER BY "seq"`);
    const mine = entries.filter((e: { action: string }) =>
      ['control.history-initialised', 'audit.type-migrated'].includes(e.action),
    );
    expect(mine.map((e: { entityId: string; action: string }) => [e.entityId, e.action])).toEqual([
      [SYSTEM, 'control.history-initialised'],
      [AUDIT, 'audit.type-migrated'],
    ]);
    expect(JSON.parse(mine[0].payload).statuses).toEqual({
      'AIG-T-01': { status: 'implemented', since: '2026-03-01T00:00:00.000Z' },
      'AIG-T-02': { status: 'not_applicable', since: '2026-03-02T00:00:00.000Z' },
    });
    expect(
      checkLinks(
        entries.map((e: Record<string, unknown>) => ({ ...e, seq: Number(e.seq) })),
        { seq: 0, hash: GENESIS_HASH },
      ),
    ).toBeNull();
  });
});
