import { QueryRunner } from 'typeorm';
import { linkHash, payloadText } from '../../audit-log/audit-chain';
import { sha256Hex } from '../../common/canonical-json';

/**
 * Appends one hash-chained audit-log entry from a data migration, in the migration's transaction. Migrations cannot
 * use AuditLogService (the entities may not match the schema yet), so this writes the rows with raw SQL, taking the
 * head row's lock on PostgreSQL as the service does.
 */
export async function appendMigrationAuditEntry(
  queryRunner: QueryRunner,
  kind: 'sqlite' | 'postgres',
  entry: { migration: string; action: string; entityType: string; entityId: string; payload: unknown },
): Promise<void> {
  const p = (n: number) => (kind === 'postgres' ? `$${n}` : '?');
  const lock = kind === 'postgres' ? ' FOR UPDATE' : '';
  const [head] = (await queryRunner.query(
    `SELECT "seq", "hash" FROM "audit_log_head" WHERE "id" = 1${lock}`,
  )) as Array<{
    seq: number | string;
    hash: string;
  }>;
  const payload = payloadText(entry.payload);
  const link = {
    seq: Number(head.seq) + 1,
    at: new Date().toISOString(),
    actor: `migration:${entry.migration}`,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    payloadHash: sha256Hex(payload),
    prevHash: String(head.hash),
  };
  const hash = linkHash(link);
  await queryRunner.query(
    `INSERT INTO "audit_log" ("seq", "at", "actor", "action", "entityType", "entityId", "payload", "payloadHash", "prevHash", "hash") VALUES (${[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(p).join(', ')})`,
    [
      link.seq,
      link.at,
      link.actor,
      link.action,
      link.entityType,
      link.entityId,
      payload,
      link.payloadHash,
      link.prevHash,
      hash,
    ],
  );
  await queryRunner.query(`UPDATE "audit_log_head" SET "seq" = ${p(1)}, "hash" = ${p(2)} WHERE "id" = 1`, [
    link.seq,
    hash,
  ]);
}
