import { validate as isUuid, version } from 'uuid';
import { timeOrderedId } from './time-ordered-id';

describe('timeOrderedId', () => {
  it('makes distinct version 7 UUIDs that sort in the order they were made', () => {
    const ids = Array.from({ length: 2_000 }, () => timeOrderedId());
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => isUuid(id) && version(id) === 7)).toBe(true);
    expect([...ids].sort()).toEqual(ids);
  });

  it('starts with the creation time in milliseconds', () => {
    const before = Date.now();
    const id = timeOrderedId();
    const millis = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(millis).toBeGreaterThanOrEqual(before);
    expect(millis).toBeLessThanOrEqual(Date.now());
  });
});
