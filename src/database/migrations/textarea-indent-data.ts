import { QueryRunner } from 'typeorm';
import { appendMigrationAuditEntry } from './migration-audit-entry';

/** The bug's step: the `{{> text-field multiline=true}}` call sat four spaces deep, Handlebars indented by that. */
const STEP = 4;

/**
 * Removes the indentation the web form added to a multi-line text: every line after the first gained four spaces
 * (empty lines too) each time the form was shown and saved. The amount added is the same on every continuation line,
 * so what is removed is the largest multiple of four spaces that every continuation line starts with; the first
 * line, tabs, and any indentation a line has beyond that common prefix stay as they were. A text that is one line, or
 * whose continuation lines do not all start with four spaces, is returned unchanged.
 */
export function stripFormIndent(text: string): string {
  const lines = text.split('\n');
  if (lines.length < 2) return text;
  const rest = lines.slice(1);
  const common = Math.min(...rest.map((line) => /^ */.exec(line)![0].length));
  const strip = common - (common % STEP);
  if (strip === 0) return text;
  return [lines[0], ...rest.map((line) => line.slice(strip))].join('\n');
}

/** The multi-line fields of the web forms, by table: the system form's three and the incident form's description. */
const FIELDS: ReadonlyArray<{ table: string; entityType: string; columns: readonly string[] }> = [
  {
    table: 'ai_systems',
    entityType: 'ai_system',
    columns: ['purpose', 'humanOversight', 'riskTierOverrideJustification'],
  },
  { table: 'incidents', entityType: 'incident', columns: ['description'] },
];

/**
 * Repairs the stored multi-line fields (issue 17.3) with stripFormIndent, one audit-log entry per changed record
 * naming the fields and how many characters each lost, in the migration's transaction.
 */
export async function stripStoredFormIndent(
  queryRunner: QueryRunner,
  kind: 'sqlite' | 'postgres',
  migration: string,
): Promise<void> {
  const p = (n: number) => (kind === 'postgres' ? `$${n}` : '?');
  for (const { table, entityType, columns } of FIELDS) {
    const rows = (await queryRunner.query(
      `SELECT "id", ${columns.map((c) => `"${c}"`).join(', ')} FROM "${table}" ORDER BY "id"`,
    )) as Array<Record<string, string | null>>;
    for (const row of rows) {
      const changed = columns.flatMap((column) => {
        const before = row[column];
        if (typeof before !== 'string') return [];
        const after = stripFormIndent(before);
        return after === before ? [] : [{ column, after, removed: before.length - after.length }];
      });
      if (changed.length === 0) continue;
      await queryRunner.query(
        `UPDATE "${table}" SET ${changed.map((c, i) => `"${c.column}" = ${p(i + 1)}`).join(', ')} WHERE "id" = ${p(changed.length + 1)}`,
        [...changed.map((c) => c.after), row.id],
      );
      await appendMigrationAuditEntry(queryRunner, kind, {
        migration,
        action: `${entityType === 'ai_system' ? 'system' : 'incident'}.form-indent-removed`,
        entityType,
        entityId: String(row.id),
        payload: {
          migration,
          removedSpaces: Object.fromEntries(changed.map((c) => [c.column, c.removed])),
        },
      });
    }
  }
}
