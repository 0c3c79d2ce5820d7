import { QueryFailedError } from 'typeorm';

/**
 * A write the database refused because of the values it was given, not because of a fault: a NULL in a required
 * column, a string longer than its column (PostgreSQL), bytes the encoding cannot hold. The validation layer should
 * have refused these first; the error filter turns any that slip through into a 400 instead of a 500.
 */
export function inputViolation(error: unknown): string | null {
  if (!(error instanceof QueryFailedError)) return null;
  const driverError = error.driverError as { code?: string; message?: string; column?: string } | undefined;
  const code = driverError?.code;
  const message = driverError?.message ?? '';
  if (code === '23502' || (code === 'SQLITE_CONSTRAINT' && /NOT NULL/i.test(message))) {
    const column = driverError?.column ?? message.match(/NOT NULL constraint failed: \w+\.(\w+)/)?.[1];
    return column ? `${column} cannot be empty (null)` : 'A required value is missing (null)';
  }
  if (code === '22001') return 'A value is longer than the field allows';
  if (code === '22021' || code === '22P05') return 'A value contains characters that cannot be stored';
  return null;
}
