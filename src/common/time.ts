/**
 * Timestamps are stored as fixed-width ISO-8601 UTC strings (24 characters) so that SQLite and PostgreSQL sort,
 * compare and hash them identically; the audit chain depends on that.
 */
export type IsoTimestamp = string;

export const TIMESTAMP_COLUMN = { type: 'varchar', length: 24 } as const;

export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('CLOCK');

export const systemClock: Clock = { now: () => new Date() };

export function iso(date: Date): IsoTimestamp {
  return date.toISOString();
}
