import { randomUUID } from 'node:crypto';
import { ControlImplementationEntity } from '../../src/controls/entities/control-implementation.entity';
import { ControlStatusChangeEntity } from '../../src/controls/entities/control-status-change.entity';
import { bulkInsert } from '../../src/database/bulk-insert';
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
});
