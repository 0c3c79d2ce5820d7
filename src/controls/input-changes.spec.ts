import { EVIDENCE_REFRESH_HORIZON_MS, InputChanges, payloadSystemId, reachOf, recheckAfter } from './input-changes';

const entry = (entityType: string, action = 'x.update') => ({
  seq: 1,
  action,
  entityType,
  entityId: 'id-1',
  payload: '{}',
});

describe('input changes', () => {
  it('reads an unknown kind of entry as reaching every system, and the entries of the sweep as reaching none', () => {
    expect(reachOf(entry('webhook'))).toEqual({ kind: 'all' });
    expect(reachOf(entry('policies'))).toEqual({ kind: 'all' });
    expect(reachOf(entry('ai_system', 'task.generate'))).toEqual({ kind: 'none' });
    expect(reachOf(entry('ai_system'))).toEqual({ kind: 'system' });
    expect(reachOf(entry('evidence'))).toEqual({ kind: 'lookup', table: 'evidence' });
    expect(reachOf(entry('session'))).toEqual({ kind: 'none' });
  });

  it('takes the system a payload names, and nothing from a payload that names none or is not JSON', () => {
    expect(payloadSystemId('{"systemId":"s-1","ref":"Art. 5"}')).toBe('s-1');
    expect(payloadSystemId('{"ref":"Art. 5"}')).toBeNull();
    expect(payloadSystemId('[1,2]')).toBeNull();
    expect(payloadSystemId('not json')).toBeNull();
  });

  it('counts a system changed after a seq when its own entry or an entry for every system lies above it', () => {
    const changes = new InputChanges(20, 12, new Map([['a', 15]]));
    expect(changes.changedSince('a', 14)).toBe(true);
    expect(changes.changedSince('a', 15)).toBe(false);
    expect(changes.changedSince('b', 11)).toBe(true);
    expect(changes.changedSince('b', 12)).toBe(false);
  });

  it('rechecks at the next UTC midnight, or sooner at an expiry or the start of its refresh horizon', () => {
    const at = '2026-11-20T10:00:00.000Z';
    expect(recheckAfter(at, [])).toBe('2026-11-21T00:00:00.000Z');
    expect(recheckAfter(at, ['2026-11-20T15:00:00.000Z'])).toBe('2026-11-20T15:00:00.000Z');
    const inHorizon = new Date(Date.parse('2026-11-20T18:00:00.000Z') + EVIDENCE_REFRESH_HORIZON_MS).toISOString();
    expect(recheckAfter(at, [inHorizon])).toBe('2026-11-20T18:00:00.000Z');
    // Past instants and those beyond the next midnight do not bring it forward.
    expect(recheckAfter(at, ['2026-11-19T00:00:00.000Z', '2027-06-01T00:00:00.000Z'])).toBe('2026-11-21T00:00:00.000Z');
  });
});
