import { EvidenceEntity } from './entities/evidence.entity';
import { evidenceState } from './staleness';

type SystemFacts = { modelVersion: string; modelVersionChangedAt: string | null };
const system: SystemFacts = { modelVersion: 'v2', modelVersionChangedAt: null };

function evidence(over: Partial<EvidenceEntity> = {}): EvidenceEntity {
  return Object.assign(new EvidenceEntity(), {
    collectedAt: '2026-03-01T00:00:00.000Z',
    uploadedAt: '2026-03-02T00:00:00.000Z',
    reviewedAt: '2026-03-03T00:00:00.000Z',
    reviewStatus: 'accepted',
    validUntil: null,
    modelVersion: 'v2',
    ...over,
  });
}

describe('evidenceState (where staleness is decided)', () => {
  const at = '2026-06-01T00:00:00.000Z';

  it('counts accepted, unexpired evidence of the running model version as current', () => {
    expect(evidenceState(evidence(), system, at)).toEqual({
      existed: true,
      reviewStatus: 'accepted',
      stale: false,
      staleReason: null,
      current: true,
    });
  });

  it.each<
    [
      string,
      Partial<EvidenceEntity>,
      Partial<typeof system> & { modelVersionChangedAt?: string | null },
      string | null,
      RegExp,
    ]
  >([
    ['expired', { validUntil: '2026-05-31T00:00:00.000Z' }, {}, null, /^expired on 2026-05-31$/],
    ['expiring exactly at the instant', { validUntil: at }, {}, null, /^expired on 2026-06-01$/],
    [
      'collected before a model change',
      {},
      { modelVersion: 'v3', modelVersionChangedAt: '2026-04-01T00:00:00.000Z' },
      null,
      /^model version changed to v3 after it was collected$/,
    ],
    [
      'produced against another model version',
      { modelVersion: 'v1' },
      {},
      null,
      /^produced against model version v1, system now runs v2$/,
    ],
    ['superseded', {}, {}, '2026-05-01T00:00:00.000Z', /^superseded by a newer upload$/],
  ])('is stale and not current when %s', (_name, over, systemOver, supersededAt, reason) => {
    const state = evidenceState(evidence(over), { ...system, ...systemOver }, at, supersededAt);
    expect(state).toMatchObject({ stale: true, current: false, staleReason: expect.stringMatching(reason) });
  });

  it('names expiry first when several reasons hold', () => {
    const state = evidenceState(
      evidence({ validUntil: '2026-05-01T00:00:00.000Z', modelVersion: 'v1' }),
      system,
      at,
      '2026-05-02T00:00:00.000Z',
    );
    expect(state.staleReason).toBe('expired on 2026-05-01');
  });

  it('is evaluated as of an instant: before the model change, the review, the upload or the supersession', () => {
    const changed = { modelVersion: 'v3', modelVersionChangedAt: '2026-04-01T00:00:00.000Z' };
    const before = '2026-03-15T00:00:00.000Z';
    expect(evidenceState(evidence({ modelVersion: '' }), changed, before)).toMatchObject({
      stale: false,
      current: true,
    });
    expect(evidenceState(evidence(), system, '2026-03-02T12:00:00.000Z')).toMatchObject({
      existed: true,
      reviewStatus: 'submitted',
      current: false,
    });
    expect(evidenceState(evidence(), system, '2026-03-01T12:00:00.000Z')).toMatchObject({
      existed: false,
      current: false,
    });
    expect(evidenceState(evidence(), system, before, '2026-05-01T00:00:00.000Z')).toMatchObject({
      stale: false,
      current: true,
    });
  });

  it('keeps a rejected item out of coverage whether or not it is stale', () => {
    expect(evidenceState(evidence({ reviewStatus: 'rejected' }), system, at)).toMatchObject({
      stale: false,
      current: false,
    });
  });
});
