import { DataSource } from 'typeorm';
import { linkHash, payloadText } from '../src/audit-log/audit-chain';
import { sha256Hex } from '../src/common/canonical-json';
import { insertRows } from '../src/database/bulk-insert';
import { forgetTransactionMemo, TransactionRunner } from '../src/database/transaction-runner';

/** Entries per transaction: each reads the head, appends its batch and moves the head, as appends do one by one. */
const SEED_BATCH = 20_000;
const COLUMNS = [
  'seq',
  'at',
  'actor',
  'action',
  'entityType',
  'entityId',
  'payload',
  'payloadHash',
  'prevHash',
  'hash',
];

export interface SeedOutcome {
  entries: number;
  ms: number;
  /** True when the time budget ran out before `entries` were written. */
  cut: boolean;
}

/**
 * Bench mode: appends up to `count` validly chained audit-log entries after the current head, fast: batched
 * multi-row INSERTs through the app's TransactionRunner (so SQLite's write queue orders them with the app's own
 * writes), each link hashed by audit-chain's payloadText/linkHash as AuditLogService.append does. Stops early, at a
 * batch boundary, when `budgetMs` is spent. The entries name a bench actor and entity, so no pack scope takes them.
 */
export async function seedAuditLog(
  dataSource: DataSource,
  writes: TransactionRunner,
  count: number,
  budgetMs = Infinity,
): Promise<SeedOutcome> {
  const postgres = dataSource.options.type === 'postgres';
  const started = Date.now();
  let written = 0;
  while (written < count && Date.now() - started < budgetMs) {
    const size = Math.min(SEED_BATCH, count - written);
    await writes.run(async (tx) => {
      const [head] = await tx.query<{ seq: number; hash: string }[]>(
        `SELECT "seq", "hash" FROM "audit_log_head" WHERE "id" = 1${postgres ? ' FOR UPDATE' : ''}`,
      );
      let seq = Number(head.seq);
      let prevHash = head.hash;
      const at = new Date().toISOString();
      const rows: unknown[][] = [];
      for (let i = 0; i < size; i++) {
        seq++;
        const payload = payloadText({ n: seq, note: 'bench seed' });
        const link = {
          seq,
          at,
          actor: 'bench-seed',
          action: 'bench.seed',
          entityType: 'bench',
          entityId: `seed-${seq}`,
          payloadHash: sha256Hex(payload),
          prevHash,
        };
        const hash = linkHash(link);
        const row = { ...link, payload, hash };
        rows.push(COLUMNS.map((column) => row[column as keyof typeof row]));
        prevHash = hash;
      }
      await insertRows(tx, 'audit_log', [...COLUMNS], rows);
      await tx.query(
        postgres
          ? 'UPDATE "audit_log_head" SET "seq" = $1, "hash" = $2 WHERE "id" = 1'
          : 'UPDATE "audit_log_head" SET "seq" = ?, "hash" = ? WHERE "id" = 1',
        [seq, prevHash],
      );
      // Moved around AuditLogRepository: a work after this one in the same group must read the head anew.
      forgetTransactionMemo(tx);
    });
    written += size;
  }
  return { entries: written, ms: Date.now() - started, cut: written < count };
}
