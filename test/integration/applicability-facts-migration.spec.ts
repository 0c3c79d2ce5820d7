import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { checkLinks, GENESIS_HASH } from '../../src/audit-log/audit-chain';
import { loadConfig } from '../../src/config/app.config';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { createTestDatabase, makeTempDir, TestDatabase } from '../factories/test-database';

// The ApplicabilityFacts migration of each database kind, by its timestamp.
const MIGRATION = { sqlite: 1796117804057, postgres: 1796117817641 };

/** Existing systems keep the answers that can be derived, are flagged for the rest, and every change is audited. */
describe('ApplicabilityFacts migration', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  const legacy = [
    // PHI, US patients, in SOC 2 scope: HIPAA role unknown; Art. 3(2) facts derivable (no EU subjects); categories presumed.
    {
      id: '00000000-0000-4000-8000-000000000001',
      personalData: true,
      phi: true,
      jurisdictions: ['US'],
      soc2InScope: true,
    },
    // EU candidates, not in SOC 2 scope: nothing of Art. 3 derivable.
    {
      id: '00000000-0000-4000-8000-000000000002',
      personalData: true,
      phi: false,
      jurisdictions: ['DE', 'FR'],
      soc2InScope: false,
    },
    // No personal data, in SOC 2 scope: no privacy category; no GDPR or HIPAA question matters.
    {
      id: '00000000-0000-4000-8000-000000000003',
      personalData: false,
      phi: false,
      jurisdictions: [],
      soc2InScope: true,
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
    const bool = (v: boolean) => (database.kind === 'postgres' ? v : v ? 1 : 0);
    for (const s of legacy) {
      await old.query(
        `INSERT INTO "ai_systems" ("id", "name", "purpose", "owner", "lifecycleStage", "modelKind", "useCaseDomain", "thirdPartyModels", "autonomy", "personalData", "phi", "jurisdictions", "soc2InScope", "computedRiskTier", "riskTierReason", "createdAt", "updatedAt")
         VALUES (${[...Array(17).keys()].map((i) => p(i + 1)).join(', ')})`,
        [
          s.id,
          `System ${s.id.slice(-1)}`,
          'p',
          'o',
          'deployed',
          'predictive',
          'other',
          '[]',
          'human_in_the_loop',
          bool(s.personalData),
          bool(s.phi),
          JSON.stringify(s.jurisdictions),
          bool(s.soc2InScope),
          'minimal',
          'r',
          '2026-01-01T00:00:00.000Z',
          '2026-01-01T00:00:00.000Z',
        ],
      );
    }
    await old.destroy();
    // Up to this migration only: later ones (e.g. AiActFacts) flag and audit facts of their own.
    const upTo = fs
      .readdirSync(folder)
      .filter((f) => /^\d+-.*\.ts$/.test(f) && Number(f.split('-')[0]) <= MIGRATION[database.kind])
      .map((f) => path.join(folder, f));
    dataSource = new DataSource({ ...options, migrations: upTo });
    await dataSource.initialize();
    await dataSource.runMigrations();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const row = async (id: string) => {
    const [r] = await dataSource.query(
      `SELECT * FROM "ai_systems" WHERE "id" = ${database.kind === 'postgres' ? '$1' : '?'}`,
      [id],
    );
    const bool = (v: unknown) => (v === null ? null : v === true || v === 1);
    return {
      hipaaRole: r.hipaaRole,
      gdprEstablishment: bool(r.gdprEstablishment),
      gdprOffersToEu: bool(r.gdprOffersToEu),
      gdprMonitorsEu: bool(r.gdprMonitorsEu),
      gdprRole: r.gdprRole,
      soc2Categories: JSON.parse(r.soc2Categories),
      applicabilityReviewFacts: JSON.parse(r.applicabilityReviewFacts),
    };
  };
  const GDPR_DUTIES = [
    'gdprRole',
    'gdprConsentBasis',
    'gdprCriminalData',
    'gdprPublicBody',
    'gdprLargeScaleMonitoring',
    'gdprLargeScaleSensitiveData',
    'gdprThirdCountryTransfers',
    'gdprArchivingOrResearch',
  ];

  it('derives what the old answers determine and flags the rest for review', async () => {
    expect(await row(legacy[0].id)).toEqual({
      hipaaRole: null,
      gdprEstablishment: null,
      gdprOffersToEu: false,
      gdprMonitorsEu: false,
      gdprRole: null,
      soc2Categories: ['security', 'availability', 'confidentiality', 'processing_integrity', 'privacy'],
      applicabilityReviewFacts: ['hipaaRole', 'gdprEstablishment', ...GDPR_DUTIES, 'soc2Categories'],
    });
    expect(await row(legacy[1].id)).toEqual({
      hipaaRole: null,
      gdprEstablishment: null,
      gdprOffersToEu: null,
      gdprMonitorsEu: null,
      gdprRole: null,
      soc2Categories: [],
      applicabilityReviewFacts: ['gdprEstablishment', 'gdprOffersToEu', 'gdprMonitorsEu', ...GDPR_DUTIES],
    });
    expect(await row(legacy[2].id)).toMatchObject({
      soc2Categories: ['security', 'availability', 'confidentiality', 'processing_integrity'],
      applicabilityReviewFacts: ['soc2Categories'],
    });
  });

  it('records one audit-log entry per system in an intact chain', async () => {
    const entries = await dataSource.query(`SELECT * FROM "audit_log" ORDER BY "seq"`);
    expect(entries.map((e: { entityId: string; action: string }) => [e.entityId, e.action])).toEqual(
      legacy.map((s) => [s.id, 'system.applicability-facts-migrated']),
    );
    expect(JSON.parse(entries[0].payload).removed).toEqual({ soc2InScope: true });
    expect(
      checkLinks(
        entries.map((e: Record<string, unknown>) => ({ ...e, seq: Number(e.seq) })),
        { seq: 0, hash: GENESIS_HASH },
      ),
    ).toBeNull();
    const [head] = await dataSource.query(`SELECT "seq", "hash" FROM "audit_log_head" WHERE "id" = 1`);
    expect({ seq: Number(head.seq), hash: head.hash }).toEqual({
      seq: legacy.length,
      hash: entries[entries.length - 1].hash,
    });
  });

  it('reverts to soc2InScope from the categories', async () => {
    const applied: Array<{ name: string }> = await dataSource.query(
      `SELECT "name" FROM "migrations" ORDER BY "timestamp" DESC`,
    );
    const mine = applied.findIndex((m) => m.name.startsWith('ApplicabilityFacts'));
    for (let i = 0; i <= mine; i++) await dataSource.undoLastMigration();
    const rows = await dataSource.query(`SELECT "id", "soc2InScope" FROM "ai_systems" ORDER BY "id"`);
    expect(rows.map((r: { soc2InScope: unknown }) => r.soc2InScope === true || r.soc2InScope === 1)).toEqual(
      legacy.map((s) => s.soc2InScope),
    );
  });
});
