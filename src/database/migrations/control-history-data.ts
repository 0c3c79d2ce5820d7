import { randomUUID } from 'node:crypto';
import { QueryRunner } from 'typeorm';
import { appendMigrationAuditEntry } from './migration-audit-entry';

interface LegacyImplementation {
  id: string;
  systemId: string;
  controlCode: string;
  status: string;
  justification: string | null;
  updatedAt: string;
}

/**
 * Gives every existing control implementation its first status-history row, and marks every existing audit a
 * point-in-time audit (its period stays as it was), each change audited in the migration's transaction. The first
 * row starts at the implementation's last update: the status is known to hold from then, not before, so an as-of
 * view of an earlier instant shows the control as not started rather than claiming a status nobody recorded.
 */
export async function writeControlHistoryAndAuditTypes(
  queryRunner: QueryRunner,
  kind: 'sqlite' | 'postgres',
  migration: string,
): Promise<void> {
  const p = (n: number) => (kind === 'postgres' ? `$${n}` : '?');
  const rows = (await queryRunner.query(
    `SELECT "id", "systemId", "controlCode", "status", "justification", "updatedAt" FROM "control_implementations" ORDER BY "systemId", "controlCode"`,
  )) as LegacyImplementation[];
  const bySystem = new Map<string, LegacyImplementation[]>();
  for (const row of rows) {
    await queryRunner.query(
      `INSERT INTO "control_status_changes" ("id", "implementationId", "systemId", "controlCode", "fromStatus", "status", "justification", "actor", "changedAt") VALUES (${[1, 2, 3, 4, 5, 6, 7, 8, 9].map(p).join(', ')})`,
      [
        randomUUID(),
        row.id,
        row.systemId,
        row.controlCode,
        null,
        row.status,
        row.justification,
        `migration:${migration}`,
        row.updatedAt,
      ],
    );
    const list = bySystem.get(row.systemId);
    if (list) list.push(row);
    else bySystem.set(row.systemId, [row]);
  }
  for (const [systemId, list] of bySystem) {
    await appendMigrationAuditEntry(queryRunner, kind, {
      migration,
      action: 'control.history-initialised',
      entityType: 'ai_system',
      entityId: systemId,
      payload: {
        migration,
        statuses: Object.fromEntries(list.map((i) => [i.controlCode, { status: i.status, since: i.updatedAt }])),
      },
    });
  }
  const audits = (await queryRunner.query(`SELECT "id" FROM "audits" ORDER BY "id"`)) as { id: string }[];
  for (const audit of audits) {
    await appendMigrationAuditEntry(queryRunner, kind, {
      migration,
      action: 'audit.type-migrated',
      entityType: 'audit',
      entityId: audit.id,
      payload: { migration, changes: { type: 'point_in_time' } },
    });
  }
}
