import { dateFormat } from './date-format';

describe('dateFormat', () => {
  it('prints instants and days in UTC by default, the format packs have always printed', () => {
    const utc = dateFormat();
    expect(utc.datetime('2026-03-01T23:30:00.000-05:00')).toBe('2026-03-02 04:30 UTC');
    expect(utc.date('2026-03-01T23:30:00.000-05:00')).toBe('2026-03-02');
  });

  it('prints instants and days in the configured zone, naming it', () => {
    const berlin = dateFormat('Europe/Berlin');
    expect(berlin.datetime('2026-07-01T22:30:00.000Z')).toBe('2026-07-02 00:30 Europe/Berlin');
    expect(berlin.date('2026-07-01T22:30:00.000Z')).toBe('2026-07-02');
    expect(dateFormat('America/New_York').date('2026-07-01T02:00:00.000Z')).toBe('2026-06-30');
  });

  it('never shifts a bare calendar day, and prints a dash for nothing and other text as it is', () => {
    const newYork = dateFormat('America/New_York');
    expect(newYork.date('2026-11-24')).toBe('2026-11-24');
    expect(newYork.date(null)).toBe('\u2014');
    expect(newYork.datetime(undefined)).toBe('\u2014');
    expect(newYork.datetime('not a date')).toBe('not a date');
    expect(() => newYork.datetime(42)).toThrow(/expects an ISO-8601 string/);
  });
});
