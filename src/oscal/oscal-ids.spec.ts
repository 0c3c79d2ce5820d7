import { oscalToken, oscalTokens, uuidV5 } from './oscal-ids';

describe('OSCAL ids', () => {
  it('derives RFC 4122 version-5 UUIDs', () => {
    // The RFC 4122 / Python uuid.uuid5(NAMESPACE_DNS, 'python.org') reference value.
    expect(uuidV5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
    expect(uuidV5('system:1')).toBe(uuidV5('system:1'));
    expect(uuidV5('system:1')).not.toBe(uuidV5('system:2'));
  });

  it('turns refs into NCName tokens', () => {
    expect(oscalToken('GOVERN 1.1')).toBe('GOVERN-1.1');
    expect(oscalToken('Art. 35')).toBe('Art-35');
    expect(oscalToken('164.308(a)(1)(ii)(A)')).toBe('_164.308-a-1-ii-A');
    expect(oscalToken('CC6.1')).toBe('CC6.1');
    for (const ref of ['GOVERN 1.1', 'Art. 35', '164.308(a)(1)(ii)(A)', '(((', 'Ünïcode §1']) {
      expect(oscalToken(ref)).toMatch(/^[A-Za-z_][A-Za-z0-9._-]*$/);
    }
  });

  it('keeps tokens unique whatever the order of colliding refs', () => {
    const a = oscalTokens(['A(1)', 'A 1', 'B']);
    const b = oscalTokens(['B', 'A 1', 'A(1)']);
    expect(a).toEqual(b);
    expect(new Set(a.values()).size).toBe(3);
    expect(a.get('B')).toBe('B');
  });
});
