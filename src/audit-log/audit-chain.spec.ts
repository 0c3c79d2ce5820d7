import { sha256Hex } from '../common/canonical-json';
import { ChainLink, checkLinks, GENESIS_HASH, linkHash, payloadText } from './audit-chain';

function chain(n: number): ChainLink[] {
  const links: ChainLink[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const payload = payloadText({ seq, b: 'x', a: [1, 2] });
    const link = {
      seq,
      at: `2026-01-01T00:00:0${seq}.000Z`,
      actor: 'a@b.c',
      action: 'x.update',
      entityType: 'x',
      entityId: String(seq),
      payload,
      payloadHash: sha256Hex(payload),
      prevHash,
      hash: '',
    };
    link.hash = linkHash(link);
    prevHash = link.hash;
    links.push(link);
  }
  return links;
}

describe('audit chain', () => {
  const start = { seq: 0, hash: GENESIS_HASH };

  it('accepts an intact chain', () => expect(checkLinks(chain(5), start)).toBeNull());

  it('names the seq of an edited payload', () => {
    const links = chain(5);
    links[2].payload = links[2].payload.replace('"x"', '"y"');
    expect(checkLinks(links, start)).toEqual({ seq: 3, problem: expect.stringContaining('payload') });
  });

  it('names the seq of edited metadata', () => {
    const links = chain(5);
    links[3].actor = 'mallory@evil.test';
    expect(checkLinks(links, start)?.seq).toBe(4);
  });

  it('names the first missing seq of a deleted row', () => {
    const links = chain(5);
    links.splice(1, 1);
    expect(checkLinks(links, start)).toEqual({ seq: 2, problem: expect.stringContaining('missing') });
  });

  it('names the seq where reordered rows break the links', () => {
    const links = chain(5);
    const [a, b] = [links[1], links[2]];
    links[1] = { ...b, seq: 2 };
    links[2] = { ...a, seq: 3 };
    expect(checkLinks(links, start)?.seq).toBe(2);
  });

  it('keys payloads canonically', () =>
    expect(payloadText({ b: 1, a: { d: 1, c: 2 } })).toBe('{"a":{"c":2,"d":1},"b":1}'));
});
