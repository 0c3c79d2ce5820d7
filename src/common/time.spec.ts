import { periodBound } from './time';

describe('periodBound', () => {
  it('keeps an instant as the instant it names', () => {
    expect(periodBound('2026-06-30T12:00:00+02:00', 'end', 'UTC')).toBe('2026-06-30T10:00:00.000Z');
    expect(periodBound('2026-06-30T12:00:00Z', 'start', 'Europe/Berlin')).toBe('2026-06-30T12:00:00.000Z');
  });

  it('reads a date alone as the whole day in the installation zone', () => {
    expect(periodBound('2026-01-01', 'start', 'UTC')).toBe('2026-01-01T00:00:00.000Z');
    expect(periodBound('2026-06-30', 'end', 'UTC')).toBe('2026-06-30T23:59:59.999Z');
    // Berlin is UTC+2 in summer and UTC+1 in winter: the day's bounds move with it.
    expect(periodBound('2026-06-30', 'end', 'Europe/Berlin')).toBe('2026-06-30T21:59:59.999Z');
    expect(periodBound('2026-01-01', 'start', 'Europe/Berlin')).toBe('2025-12-31T23:00:00.000Z');
  });
});
