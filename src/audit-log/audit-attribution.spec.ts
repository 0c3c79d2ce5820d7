import { attributedPayload, runWithToken, tokenFor } from './audit-attribution';

describe('audit attribution of API tokens', () => {
  const token = { actor: 'ci@example.test', tokenId: 'tok-1', tokenName: 'nightly' };
  const viaToken = { id: 'tok-1', name: 'nightly' };

  it('leaves payloads alone outside a token request', () => {
    expect(tokenFor('ci@example.test')).toBeNull();
    expect(attributedPayload({ a: 1 }, 'ci@example.test')).toEqual({ a: 1 });
  });

  it("names the token beside an entry written in its creator's name, whatever the payload's shape", async () => {
    await runWithToken(token, async () => {
      await Promise.resolve();
      expect(attributedPayload({ a: 1 }, 'ci@example.test')).toEqual({ a: 1, viaToken });
      expect(attributedPayload(undefined, 'ci@example.test')).toEqual({ viaToken });
      expect(attributedPayload(['x'], 'ci@example.test')).toEqual({ value: ['x'], viaToken });
      expect(attributedPayload('text', 'ci@example.test')).toEqual({ value: 'text', viaToken });
    });
  });

  it('does not attribute an entry written under another actor during the request (a background job)', () => {
    runWithToken(token, () => {
      expect(tokenFor('system')).toBeNull();
      expect(attributedPayload({ a: 1 }, 'system')).toEqual({ a: 1 });
    });
  });
});
