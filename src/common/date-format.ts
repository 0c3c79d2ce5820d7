import { DateTime } from 'luxon';

const EMPTY = '\u2014';
const CALENDAR_DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The one way the product prints dates, for the web pages and the printed documents alike: instants as
 * "2026-11-24 14:05 UTC" (or "2026-11-24 15:05 Europe/Berlin" with WORKBENCH_TIME_ZONE set), days as "2026-11-24"
 * (the day in that zone), an em dash for null. A bare calendar day ("2026-11-24") is a day already and is printed as
 * it is, never shifted by a zone; text that is not a date is shown as it is.
 */
export interface DateFormat {
  datetime: (value: unknown) => string;
  date: (value: unknown) => string;
}

export function dateFormat(timeZone = 'UTC'): DateFormat {
  const parse = (value: unknown, helper: string): DateTime | string | null => {
    if (value === null || value === undefined || value === '') return null;
    if (typeof value !== 'string') throw new Error(`${helper} expects an ISO-8601 string or null, got ${typeof value}`);
    const at = DateTime.fromISO(value, { zone: 'utc' });
    return at.isValid ? at.setZone(timeZone) : value;
  };
  return {
    datetime: (value) => {
      const at = parse(value, 'datetime');
      if (at === null) return EMPTY;
      return typeof at === 'string' ? at : `${at.toFormat('yyyy-MM-dd HH:mm')} ${timeZone}`;
    },
    date: (value) => {
      if (typeof value === 'string' && CALENDAR_DAY.test(value)) return value;
      const at = parse(value, 'date');
      if (at === null) return EMPTY;
      return typeof at === 'string' ? at : at.toFormat('yyyy-MM-dd');
    },
  };
}
