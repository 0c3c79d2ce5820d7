import type { MappingRow } from './catalog.repository';
import { composeRelationship, deriveCrosswalk, oscalRelationshipOf } from './crosswalk';

/**
 * The crosswalk algebra of DESIGN "Compliance semantics (v2)": requirement A <- control C -> requirement B with
 * r1 = rel(C, A) and r2 = rel(C, B). Every cell of the table, and the rule that equivalent-to composes like equal-to
 * but yields at most equivalent-to.
 */
const TABLE: Array<[r1: string, r2: string, derived: string]> = [
  ['equal-to', 'equal-to', 'equal-to'],
  ['equal-to', 'superset-of', 'superset-of'],
  ['equal-to', 'subset-of', 'subset-of'],
  ['equal-to', 'intersects-with', 'intersects-with'],
  ['superset-of', 'equal-to', 'subset-of'],
  ['superset-of', 'superset-of', 'related'],
  ['superset-of', 'subset-of', 'subset-of'],
  ['superset-of', 'intersects-with', 'related'],
  ['subset-of', 'equal-to', 'superset-of'],
  ['subset-of', 'superset-of', 'superset-of'],
  ['subset-of', 'subset-of', 'overlaps'],
  ['subset-of', 'intersects-with', 'overlaps'],
  ['intersects-with', 'equal-to', 'intersects-with'],
  ['intersects-with', 'superset-of', 'related'],
  ['intersects-with', 'subset-of', 'overlaps'],
  ['intersects-with', 'intersects-with', 'related'],
];

describe('crosswalk algebra', () => {
  it.each(TABLE)('C %s A and C %s B give A %s B', (r1, r2, derived) => {
    expect(composeRelationship(r1, r2)).toBe(derived);
  });

  /** equivalent-to in place of equal-to, on either side: same cell, but never more than equivalent-to. */
  const atMostEquivalent = (relationship: string) => (relationship === 'equal-to' ? 'equivalent-to' : relationship);
  it.each(
    TABLE.filter(([r1, r2]) => r1 === 'equal-to' || r2 === 'equal-to').flatMap(([r1, r2, derived]) => {
      const swaps: Array<[string, string, string]> = [];
      if (r1 === 'equal-to') swaps.push(['equivalent-to', r2, atMostEquivalent(derived)]);
      if (r2 === 'equal-to') swaps.push([r1, 'equivalent-to', atMostEquivalent(derived)]);
      if (r1 === 'equal-to' && r2 === 'equal-to') swaps.push(['equivalent-to', 'equivalent-to', 'equivalent-to']);
      return swaps;
    }),
  )('C %s A and C %s B give A %s B', (r1, r2, derived) => {
    expect(composeRelationship(r1, r2)).toBe(derived);
  });

  it('refuses a relationship outside the OSCAL vocabulary instead of guessing', () => {
    expect(() => composeRelationship('equal', 'subset-of')).toThrow(/unknown mapping relationship "equal"/);
  });

  it('exports only derived links that have an OSCAL relationship', () => {
    expect(
      ['equal-to', 'equivalent-to', 'subset-of', 'superset-of', 'intersects-with', 'overlaps', 'related'].map(
        oscalRelationshipOf,
      ),
    ).toEqual(['equal-to', 'equivalent-to', 'subset-of', 'superset-of', 'intersects-with', null, null]);
  });
});

describe('deriveCrosswalk', () => {
  const row = (controlCode: string, ref: string, relationship: string, strength: number): MappingRow => ({
    controlCode,
    requirementId: `id-${ref}`,
    frameworkKey: ref.startsWith('164') ? 'hipaa-security' : 'soc2-tsc-2017',
    ref,
    relationship,
    strength,
    rationale: '',
  });

  it('names the linking control and takes the lower strength', () => {
    const [link] = deriveCrosswalk(
      [row('AIG-SEC-25', '164.310(d)(2)(i)', 'superset-of', 8)],
      [row('AIG-SEC-25', 'CC6.5', 'equivalent-to', 9)],
    );
    expect(link).toEqual({
      fromRef: '164.310(d)(2)(i)',
      toRef: 'CC6.5',
      relationship: 'subset-of',
      oscalRelationship: 'subset-of',
      strength: 8,
      via: [
        {
          controlCode: 'AIG-SEC-25',
          fromRelationship: 'superset-of',
          toRelationship: 'equivalent-to',
          relationship: 'subset-of',
          strength: 8,
        },
      ],
    });
  });

  it('shows a link that only shares a control as related, without an OSCAL relationship', () => {
    const [link] = deriveCrosswalk(
      [row('AIG-SEC-12', '164.308(a)(6)(ii)', 'superset-of', 9)],
      [row('AIG-SEC-12', 'CC7.3', 'superset-of', 8)],
    );
    expect(link).toMatchObject({ relationship: 'related', oscalRelationship: null, strength: 8 });
  });

  it('keeps every linking control and reports the most specific relationship any of them supports', () => {
    const links = deriveCrosswalk(
      [
        row('AIG-SEC-13', '164.308(a)(7)(ii)(B)', 'superset-of', 8),
        row('AIG-OPS-06', '164.308(a)(7)(ii)(B)', 'intersects-with', 4),
        row('AIG-SEC-22', '164.308(a)(7)(ii)(B)', 'subset-of', 5),
      ],
      [
        row('AIG-SEC-13', 'A1.2', 'subset-of', 6),
        row('AIG-OPS-06', 'A1.2', 'intersects-with', 3),
        row('AIG-SEC-22', 'A1.2', 'intersects-with', 4),
      ],
    );
    expect(links).toHaveLength(1);
    expect(links[0]).toMatchObject({ relationship: 'subset-of', strength: 6 });
    expect(links[0].via.map((v) => [v.controlCode, v.relationship, v.strength])).toEqual([
      ['AIG-SEC-13', 'subset-of', 6],
      ['AIG-SEC-22', 'overlaps', 4],
      ['AIG-OPS-06', 'related', 3],
    ]);
  });
});
