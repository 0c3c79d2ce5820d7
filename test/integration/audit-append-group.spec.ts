import { AuditLogService } from '../../src/audit-log/audit-log.service';
import { AuditLogEntryEntity } from '../../src/audit-log/entities/audit-log-entry.entity';
import { TransactionRunner } from '../../src/database/transaction-runner';
import { startTestApp, TestApp } from '../factories/test-app';

/**
 * Appends that share a transaction (on SQLite the works of one group) read the head once and carry it from append to
 * append; a work that fails after appending is rolled back to its savepoint, and the next work appends after the
 * head as it stands again, not after the entry rolled back.
 */
describe('audit appends within one write group (integration)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const event = (entityId: string) => ({ actor: 'group-test', action: 'test.append', entityType: 'test', entityId });

  it('chains the entries of the works that commit, whatever failed between them', async () => {
    const runner = t.app.get(TransactionRunner);
    const auditLog = t.app.get(AuditLogService);
    const before = await auditLog.head();
    const appending = (id: string, fail = false) =>
      runner.run(async (tx) => {
        await auditLog.append(tx, event(id));
        await auditLog.append(tx, event(`${id}-again`));
        if (fail) throw new Error(`${id} failed after appending`);
        return id;
      });
    const results = await Promise.allSettled([
      appending('one'),
      appending('two', true),
      appending('three'),
      appending('four', true),
      appending('five'),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
    const entries = await t.dataSource
      .getRepository(AuditLogEntryEntity)
      .find({ where: { actor: 'group-test' }, order: { seq: 'ASC' } });
    expect(entries.map((e) => [e.seq - before.seq, e.entityId])).toEqual([
      [1, 'one'],
      [2, 'one-again'],
      [3, 'three'],
      [4, 'three-again'],
      [5, 'five'],
      [6, 'five-again'],
    ]);
    expect(entries[0].prevHash).toBe(before.hash);
    const chain = await auditLog.verify();
    expect(chain).toMatchObject({ valid: true, headSeq: before.seq + 6, problem: null });
  });
});
