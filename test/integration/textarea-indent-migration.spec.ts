import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { checkLinks, GENESIS_HASH } from '../../src/audit-log/audit-chain';
import { loadConfig } from '../../src/config/app.config';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { stripFormIndent } from '../../src/database/migrations/textarea-indent-data';
import { createTestDatabase, makeTempDir, TestDatabase } from '../factories/test-database';

const MIGRATION = 1796140070433;
const INDENTED = '00000000-0000-4000-8000-0000000000a1';
const CLEAN = '00000000-0000-4000-8000-0000000000a2';

describe('stripFormIndent', () => {
  it('removes the multiple of four spaces every continuation line gained, keeping indentation beyond it', () => {
    // Two saves: eight spaces on every line after the first, the empty line included.
    expect(stripFormIndent('Triage.\r\n        Second line\r\n        \r\n          - a point')).toBe(
      'Triage.\r\nSecond line\r\n\r\n  - a point',
    );
    expect(stripFormIndent('One\n    two')).toBe('One\ntwo');
  });

  it('leaves one-line texts, and texts whose continuation lines do not all carry the added spaces, as they were', () => {
    expect(stripFormIndent('    a single indented line')).toBe('    a single indented line');
    expect(stripFormIndent('One\n    two\n  three')).toBe('One\n    two\n  three');
    expect(stripFormIndent('One\n\ttwo')).toBe('One\n\ttwo');
  });
});

/** Stored multi-line fields lose the web form's accumulated indentation (issue 17.3), each change audited. */
describe('TextareaIndentRepair migration', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase(makeTempDir());
    const options = dataSourceOptions(loadConfig({ WORKBENCH_DATA_DIR: makeTempDir(), ...database.env }).database);
    const folder = path.dirname(String((options.migrations as string[])[0]));
    const before = fs
      .readdirSync(folder)
      .filter((f) => /^\d+-.*\.ts$/.test(f) && Number(f.split('-')[0]) < MIGRATION)
      .map((f) => path.join(folder, f));
    const old = new DataSource({ ...options, migrations: before });
    await old.initialize();
    await old.runMigrations();
    const p = (n: number) => (database.kind === 'postgres' ? `$${n}` : '?');
    const values = (n: number) => [...Array(n).keys()].map((i) => p(i + 1)).join(', ');
    for (const [id, purpose, oversight] of [
      [INDENTED, 'Suggests triage.\n        For nurses.', 'A nurse decides.\n    Always.'],
      [CLEAN, 'Suggests triage.\nFor nurses.', 'A nurse decides.'],
    ])
      await old.query(
        `INSERT INTO "ai_systems" ("id", "name", "purpose", "humanOversight", "owner", "lifecycleStage", "modelKind", "useCaseDomain", "thirdPartyModels", "autonomy", "jurisdictions", "computedRiskTier", "riskTierReason", "soc2Categories", "applicabilityReviewFacts", "createdAt", "updatedAt") VALUES (${values(17)})`,
        [
          id,
          `System ${id.slice(-2)}`,
          purpose,
          oversight,
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
    await old.destroy();
    dataSource = new DataSource(options);
    await dataSource.initialize();
    await dataSource.runMigrations();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('strips the indentation of the fields that carry it and leaves clean records untouched', async () => {
    const rows = await dataSource.query(`SELECT "id", "purpose", "humanOversight" FROM "ai_systems" ORDER BY "id"`);
    expect(rows).toEqual([
      { id: INDENTED, purpose: 'Suggests triage.\nFor nurses.', humanOversight: 'A nurse decides.\nAlways.' },
      { id: CLEAN, purpose: 'Suggests triage.\nFor nurses.', humanOversight: 'A nurse decides.' },
    ]);
  });

  it('audits the changed record only, naming the fields and the spaces removed, in an intact chain', async () => {
    const entries = await dataSource.query(`SELECT * FROM "audit_log" ORDER BY "seq"`);
    const mine = entries.filter((e: { action: string }) => e.action === 'system.form-indent-removed');
    expect(mine.map((e: { entityId: string }) => e.entityId)).toEqual([INDENTED]);
    expect(JSON.parse(mine[0].payload).removedSpaces).toEqual({ purpose: 8, humanOversight: 4 });
    expect(
      checkLinks(
        entries.map((e: Record<string, unknown>) => ({ ...e, seq: Number(e.seq) })),
        { seq: 0, hash: GENESIS_HASH },
      ),
    ).toBeNull();
  });
});
