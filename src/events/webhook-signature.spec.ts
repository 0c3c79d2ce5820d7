import { createHmac } from 'node:crypto';
import { signatureHeader, verifySignature } from './webhook-signature';

const SECRET = 'whsec_0123456789abcdef0123456789abcdef';

describe('webhook signatures', () => {
  const body = '{"id":"e1","type":"pack.ready"}';

  it('is t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">, as a receiver recomputes it', () => {
    const header = signatureHeader(SECRET, body, 1_800_000_000);
    const expected = createHmac('sha256', SECRET).update(`1800000000.${body}`).digest('hex');
    expect(header).toBe(`t=1800000000,v1=${expected}`);
  });

  it('verifies within the tolerance and refuses another body, secret, a stale timestamp or a malformed header', () => {
    const header = signatureHeader(SECRET, body, 1_800_000_000);
    expect(verifySignature(SECRET, body, header, 1_800_000_100)).toBe(true);
    expect(verifySignature(SECRET, body + ' ', header, 1_800_000_100)).toBe(false);
    expect(verifySignature(`${SECRET}x`, body, header, 1_800_000_100)).toBe(false);
    expect(verifySignature(SECRET, body, header, 1_800_000_000 + 301)).toBe(false);
    expect(verifySignature(SECRET, body, 'v1=abc', 1_800_000_000)).toBe(false);
    expect(verifySignature(SECRET, body, header.replace(/v1=../, 'v1=zz'), 1_800_000_000)).toBe(false);
  });
});
