import { randomUUID } from 'node:crypto';
import { ControlImplementationEntity } from '../../src/controls/entities/control-implementation.entity';
import { ControlStatusChangeEntity } from '../../src/controls/entities/control-status-change.entity';
import { bulkInsert, insertRows } from '../../src/database/bulk-insert';
import { TransactionRunner } from '../../src/database/transaction-runner';
import { minimalSystem } from '../factories/systems';
import { bearer, startTestApp, TestApp } from '../factories/test-app';

/**
 * bulkInsert writes what TypeORM's insert builder writes (columns, conversions, defaults for fields left out), on
 * a real database after real migrations (SQLite, or PostgreSQL with DATABASE_URL).
 */
describe('bulkInsert (integration)', () => {
  let t: TestApp;
  let systems: string[];

  beforeAll(async () => {
    t = await startTestApp();
    systems = [];
    for (const name of ['Bulk A', 'Bulk B']) {
      const res = await t
        .http()
        .post('/api/v1/systems')
        .set(bearer(t.users.governance_specialist))
        .send(minimalSystem({ name }))
        .expect(201);
      systems.push(res.body.id as string);
    }
  });
  afterAll(() => t.close());

  const implementation = (systemId: string, controlCode: string, extra: Partial<ControlImplementationEntity>) =>
    Object.assign(new ControlImplementationEntity(), {
      id: randomUUID(),
      systemId,
      controlCode,
      status: 'in_progress',
      justification: null,
      lastReviewedAt: '2026-03-04T05:06:07.089Z',
      nextReviewDue: null,
      updatedAt: '2026-03-04T05:06:07.089Z',
      ...extra,
    });
  const stored = async (systemId: string) =>
    (
      await t.dataSource
        .getRepository(ControlImplementationEntity)
        .find({ where: { systemId }, order: { controlCode: 'ASC' } })
    ).map(({ id: _id, systemId: _system, ...rest }) => rest);

  it('stores the same row values as the insert builder, defaults included', async () => {
    const runner = t.app.get(TransactionRunner);
    const [builder, bulk] = systems;
    const codes = (
      await t.dataSource.getRepository(ControlImplementationEntity).find({ where: { systemId: builder }, take: 2 })
    ).map((i) => i.controlCode);
    for (const systemId of [builder, bulk]) {
      await t.dataSource.getRepository(ControlStatusChangeEntity).delete({ systemId });
      await t.dataSource.getRepository(ControlImplementationEntity).delete({ systemId });
    }
    // statement and owner are left out: both have a declared default ('').
    const rowsFor = (systemId: string) => [
      implementation(systemId, codes[0], { statement: 'Line one\nwith "quotes" and \u00e9' }),
      implementation(systemId, codes[1], { status: 'not_started' }),
    ];
    await runner.run((tx) => tx.getRepository(ControlImplementationEntity).insert(rowsFor(builder)));
    await runner.run((tx) => bulkInsert(tx, ControlImplementationEntity, rowsFor(bulk)));
    expect(await stored(bulk)).toEqual(await stored(builder));
    expect((await stored(bulk))[1]).toMatchObject({ statement: '', owner: '', lastReviewedAt: expect.any(String) });
  });

  it('splits a batch larger than one statement can bind and stores every row', async () => {
    const runner = t.app.get(TransactionRunner);
    const [implementationRow] = await t.dataSource
      .getRepository(ControlImplementationEntity)
      .find({ where: { systemId: systems[0] }, order: { controlCode: 'ASC' }, take: 1 });
    const changes = Array.from({ length: 4_000 }, (_, i) =>
      Object.assign(new ControlStatusChangeEntity(), {
        id: randomUUID(),
        implementationId: implementationRow.id,
        systemId: systems[0],
        controlCode: implementationRow.controlCode,
        fromStatus: null,
        status: 'not_started',
        justification: null,
        actor: 'bulk-test',
        changedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
      }),
    );
    await runner.run((tx) => bulkInsert(tx, ControlStatusChangeEntity, changes));
    const count = await t.dataSource.getRepository(ControlStatusChangeEntity).countBy({ actor: 'bulk-test' });
    expect(count).toBe(4_000);
  });

  it('stores rows given many at a time (one JSON parameter on SQLite) as one at a time (placeholders) stores them', async () => {
    const runner = t.app.get(TransactionRunner);
    const postgres = t.database.kind === 'postgres';
    await t.dataSource.query(
      `CREATE TABLE "bulk_probe" ("batch" varchar(8) NOT NULL, "k" integer NOT NULL, "t" text, "n" ${postgres ? 'bigint' : 'integer'}, "r" ${postgres ? 'double precision' : 'real'})`,
    );
    try {
      const values: Array<[string | null, number | null, number | null]> = [
        ['plain', 42, 0.5],
        ['Line one\nwith "quotes", \\ and \u00e9 \u{1F600}', -7, null],
        ['', 2_147_483_647, 0.1],
        [null, 1_099_511_627_776, -0],
        ['lone \ud800 half', null, 1e21],
      ];
      const rows = (batch: string) => values.map(([text, n, r], k) => [batch, k, text, n, r]);
      await runner.run((tx) => insertRows(tx, 'bulk_probe', ['batch', 'k', 't', 'n', 'r'], rows('many')));
      // Rows without a lone surrogate or a wide number: the SQLite JSON path takes them all.
      await runner.run((tx) => insertRows(tx, 'bulk_probe', ['batch', 'k', 't', 'n', 'r'], rows('json').slice(0, 3)));
      for (const row of rows('single'))
        await runner.run((tx) => insertRows(tx, 'bulk_probe', ['batch', 'k', 't', 'n', 'r'], [row]));
      const typed = postgres ? '' : ', typeof("t") AS "tt", typeof("n") AS "tn", typeof("r") AS "tr"';
      const read = (batch: string) =>
        t.dataSource.query<Array<Record<string, unknown>>>(
          `SELECT "k", "t", "n", "r"${typed} FROM "bulk_probe" WHERE "batch" = ${postgres ? '$1' : '?'} ORDER BY "k"`,
          [batch],
        );
      const single = await read('single');
      expect(single).toHaveLength(5);
      expect(await read('many')).toEqual(single);
      expect(await read('json')).toEqual(single.slice(0, 3));
      expect(single[1].t).toBe('Line one\nwith "quotes", \\ and \u00e9 \u{1F600}');
    } finally {
      await t.dataSource.query('DROP TABLE "bulk_probe"');
    }
  });
});
