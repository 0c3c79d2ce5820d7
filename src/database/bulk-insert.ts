import { EntityTarget, ObjectLiteral } from 'typeorm';
import { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { Tx } from './transaction-runner';

/** Bound parameters per statement: SQLite's default limit is 32,766 and PostgreSQL's 65,535. */
const MAX_PARAMETERS = 32_000;

/**
 * Inserts many rows of one entity with multi-row INSERT statements built once from the entity's column metadata:
 * the same columns, the same value conversions (the driver's preparePersistentValue) and the same SQL as TypeORM's
 * insert builder writes, without its per-row parameter bookkeeping, which cost about a quarter of the CPU of
 * POST /api/v1/systems (89 implementation rows and 89 history rows per system; issue 18.4). No generated values:
 * every column, the primary key too, is taken from the rows as given; one left undefined gets its declared default
 * (a plain value) or NULL, as the builder's DEFAULT would.
 */
export async function bulkInsert<T extends ObjectLiteral>(tx: Tx, target: EntityTarget<T>, rows: T[]): Promise<void> {
  const { driver } = tx.connection;
  const metadata = tx.connection.getMetadata(target);
  const columns = metadata.columns.filter((c) => !c.isVirtual);
  await insertRows(
    tx,
    metadata.tableName,
    columns.map((c) => c.databaseName),
    rows.map((row) => columns.map((column): unknown => driver.preparePersistentValue(valueOf(row, column), column))),
  );
}

/**
 * Inserts rows of values already in the database's form (one value per named column, in order) with multi-row
 * INSERT statements, as many rows to a statement as the bound-parameter limit of either database allows.
 */
export async function insertRows(tx: Tx, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  if (rows.length === 0) return;
  const { driver } = tx.connection;
  const postgres = driver.options.type === 'postgres';
  const names = columns.map((c) => driver.escape(c)).join(', ');
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  for (let start = 0; start < rows.length; start += perStatement) {
    const values: unknown[] = [];
    const tuples: string[] = [];
    for (const row of rows.slice(start, start + perStatement)) {
      const marks: string[] = [];
      for (const value of row) {
        values.push(value);
        marks.push(postgres ? `$${values.length}` : '?');
      }
      tuples.push(`(${marks.join(', ')})`);
    }
    await tx.query(`INSERT INTO ${driver.escape(table)} (${names}) VALUES ${tuples.join(', ')}`, values);
  }
}

function valueOf(row: ObjectLiteral, column: ColumnMetadata): unknown {
  const value: unknown = column.getEntityValue(row);
  if (value !== undefined) return value;
  if (typeof column.default === 'function') throw new Error(`bulkInsert: ${column.propertyName} needs a value`);
  return column.default ?? null;
}
