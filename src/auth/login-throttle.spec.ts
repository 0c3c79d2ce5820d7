import { DomainError } from '../common/domain-errors';
import { LoginThrottle } from './login-throttle';

describe('login throttle', () => {
  const MINUTE = 60_000;
  let now: number;
  const throttle = () => new LoginThrottle(3, () => now);
  beforeEach(() => {
    now = Date.parse('2026-01-01T00:00:00Z');
  });

  it('refuses with 429 and a Retry-After once a key reaches the limit, until the oldest failure ages out', () => {
    const t = throttle();
    for (let i = 0; i < 3; i++) {
      t.assertAllowed(['email:a']);
      t.recordFailure(['email:a']);
      now += MINUTE;
    }
    let refused: unknown;
    try {
      t.assertAllowed(['email:b', 'email:a']);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({ kind: 'throttled', retryAfterSeconds: 12 * 60 });
    now += 12 * MINUTE;
    expect(() => t.assertAllowed(['email:a'])).not.toThrow();
  });

  it('forgets keys whose failures have aged out, so sprayed e-mails do not pile up', () => {
    const t = throttle();
    for (let i = 0; i < 1000; i++) t.recordFailure([`email:${i}@example.test`]);
    expect(t.size).toBe(1000);
    now += 16 * MINUTE;
    t.recordFailure(['email:last@example.test']);
    expect(t.size).toBe(1);
  });

  it('clears a key on success', () => {
    const t = throttle();
    for (let i = 0; i < 3; i++) t.recordFailure(['email:a']);
    t.clear('email:a');
    expect(() => t.assertAllowed(['email:a'])).not.toThrow();
  });
});
