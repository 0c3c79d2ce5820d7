import { QueryFailedError } from 'typeorm';

/** True when a write failed on a unique index, on either database (PostgreSQL 23505, SQLite SQLITE_CONSTRAINT UNIQUE). */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; message?: string } | undefined;
  return (
    driverError?.code === '23505' ||
    (driverError?.code === 'SQLITE_CONSTRAINT' && /UNIQUE/i.test(driverError.message ?? ''))
  );
}
