import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { checkLinks, GENESIS_HASH } from '../../src/audit-log/audit-chain';
import { loadConfig } from '../../src/config/app.config';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { createTestDatabase, makeTempDir, TestDatabase } from '../factories/test-database';

// The AiActFacts migration of each database kind, by its timestamp.
const MIGRATION = { sqlite: 1796120792945, postgres: 1796120830408 };

/** Existing systems get the AI Act facts their old use-case domain determines, are flagged for the rest, and every change is audited. */
describe('AiActFacts migration', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  const legacy = [
    // A CV screening model under the old vocabulary: Annex III area 4, point not derivable.
    {
      id: '00000000-0000-4000-8000-000000000001',
      useCaseDomain: 'employment',
      modelKind: 'predictive',
      tier: 'high',
      review: ['gdprEstablishment'],
    },
    // Social scoring: Art. 5(1)(c), still prohibited.
    {
      id: '00000000-0000-4000-8000-000000000002',
      useCaseDomain: 'social_scoring',
      modelKind: 'rules',
      tier: 'prohibited',
      review: [],
    },
    // A generative customer chatbot: Art. 50(1) and 50(2) presumed.
    {
      id: '00000000-0000-4000-8000-000000000003',
      useCaseDomain: 'customer_service',
      modelKind: 'generative',
      tier: 'limited',
      review: [],
    },
    // Healthcare was high under the old heuristic; nothing in the domain says Annex III or Annex I.
    {
      id: '00000000-0000-4000-8000-000000000004',
      useCaseDomain: 'healthcare',
      modelKind: 'predictive',
      tier: 'high',
      review: ['hipaaRole'],
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
    for (const s of legacy) {
      await old.query(
        `INSERT INTO "ai_systems" ("id", "name", "purpose", "owner", "lifecycleStage", "modelKind", "useCaseDomain", "thirdPartyModels", "autonomy", "jurisdictions", "computedRiskTier", "riskTierReason", "soc2Categories", "applicabilityReviewFacts", "createdAt", "updatedAt")
         VALUES (${[...Array(16).keys()].map((i) => p(i + 1)).join(', ')})`,
        [
          s.id,
          `System ${s.id.slice(-1)}`,
          'p',
          'o',
          'deployed',
          s.modelKind,
          s.useCaseDomain,
          '[]',
          'human_in_the_loop',
          '[]',
          s.tier,
          'old reason',
          '[]',
          JSON.stringify(s.review),
          '2026-01-01T00:00:00.000Z',
          '2026-01-01T00:00:00.000Z',
        ],
      );
    }
    await old.destroy();
    dataSource = new DataSource(options);
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
    const list = (v: unknown) => (typeof v === 'string' ? (JSON.parse(v) as unknown) : v);
    return {
      aiActEuNexus: r.aiActEuNexus,
      prohibitedPractices: list(r.prohibitedPractices),
      annexIIIArea: r.annexIIIArea,
      annexIIIPoint: r.annexIIIPoint,
      transparencyTriggers: list(r.transparencyTriggers),
      gpaiModel: r.gpaiModel,
      computedRiskTier: r.computedRiskTier,
      riskTierReason: r.riskTierReason,
      applicabilityReviewFacts: JSON.parse(r.applicabilityReviewFacts),
    };
  };

  it('maps the old use-case domain onto Annex III and Art. 5 where it can and flags the questions left', async () => {
    expect(await row(legacy[0].id)).toEqual({
      aiActEuNexus: null,
      prohibitedPractices: null,
      annexIIIArea: '4',
      annexIIIPoint: null,
      transparencyTriggers: null,
      gpaiModel: 'none',
      computedRiskTier: 'high',
      riskTierReason: expect.stringMatching(
        /^High-risk under Art\. 6\(2\) and Annex III\.4 .*Presumed from the use-case domain "employment": the AI Act answers need review\.$/,
      ),
      applicabilityReviewFacts: [
        'gdprEstablishment',
        'aiActEuNexus',
        'aiActRole',
        'prohibitedPractices',
        'annexIProduct',
        'annexIIIArea',
        'annexIIIPoint',
        'art6Derogation',
        'aiActEstablishedInEu',
        'aiActPublicSector',
        'transparencyTriggers',
      ],
    });
    expect(await row(legacy[1].id)).toMatchObject({
      prohibitedPractices: ['c'],
      annexIIIArea: null,
      computedRiskTier: 'prohibited',
      riskTierReason: expect.stringContaining('Art. 5(1)(c)'),
    });
    expect(await row(legacy[2].id)).toMatchObject({
      transparencyTriggers: ['interacts_with_people', 'synthetic_content'],
      gpaiModel: null,
      computedRiskTier: 'limited',
      riskTierReason: expect.stringContaining('Art. 50(1), Art. 50(2)'),
      applicabilityReviewFacts: expect.arrayContaining(['transparencyTriggers', 'gpaiModel']),
    });
    // Not derivable, so not guessed: the tier drops to what the answers support, says so, and asks.
    expect(await row(legacy[3].id)).toMatchObject({
      annexIIIArea: null,
      computedRiskTier: 'minimal',
      riskTierReason: expect.stringContaining('(previously high under the use-case rule)'),
      applicabilityReviewFacts: [
        'hipaaRole',
        'aiActEuNexus',
        'aiActRole',
        'prohibitedPractices',
        'annexIProduct',
        'annexIIIArea',
        'transparencyTriggers',
      ],
    });
  });

  it('records one audit-log entry per system, with the previous tier, in an intact chain', async () => {
    const entries = await dataSource.query(`SELECT * FROM "audit_log" ORDER BY "seq"`);
    expect(entries.map((e: { entityId: string; action: string }) => [e.entityId, e.action])).toEqual(
      legacy.map((s) => [s.id, 'system.ai-act-facts-migrated']),
    );
    expect(JSON.parse(entries[3].payload).from).toMatchObject({
      useCaseDomain: 'healthcare',
      computedRiskTier: 'high',
    });
    expect(
      checkLinks(
        entries.map((e: Record<string, unknown>) => ({ ...e, seq: Number(e.seq) })),
        { seq: 0, hash: GENESIS_HASH },
      ),
    ).toBeNull();
  });

  it('reverts by dropping the facts', async () => {
    const applied: Array<{ name: string }> = await dataSource.query(
      `SELECT "name" FROM "migrations" ORDER BY "timestamp" DESC`,
    );
    const mine = applied.findIndex((m) => m.name.startsWith('AiActFacts'));
    for (let i = 0; i <= mine; i++) await dataSource.undoLastMigration();
    const [r] = await dataSource.query(`SELECT * FROM "ai_systems" ORDER BY "id"`);
    expect(r.annexIIIArea).toBeUndefined();
    expect(r.useCaseDomain).toBe('employment');
  });
});
