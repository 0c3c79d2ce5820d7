import { DateTime } from 'luxon';

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

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * One bound of a period as the instant it stands for. A date with a time is that instant. A date alone names a whole
 * day in the installation's time zone: as a start it begins at that day's first millisecond, as an end it runs to
 * its last, so an audit period "2026-01-01 to 2026-06-30" includes what happened on 30 June (read as midnight, the
 * end would drop the period's last day from the pack's default as-of and from the audit-log extract).
 */
export function periodBound(value: string, bound: 'start' | 'end', timeZone: string): IsoTimestamp {
  if (!DATE_ONLY.test(value)) return iso(new Date(value));
  const day = DateTime.fromISO(value, { zone: timeZone });
  return iso((bound === 'start' ? day.startOf('day') : day.endOf('day')).toJSDate());
}
