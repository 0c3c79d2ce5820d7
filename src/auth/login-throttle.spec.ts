import { DomainError } from '../common/domain-errors';
import { LoginThrottle } from './login-throttle';

describe('login throttle', () => {
  const MINUTE = 60_000;
  let now: number;
  const throttle = () => new LoginThrottle(3, () => now);
  beforeEach(() => {
    now = Date.parse('2026-01-01T00:00:00Z');
  });

  const refusal = (t: LoginThrottle, keys: string[]) => {
    try {
      t.begin(keys);
    } catch (error) {
      return error;
    }
    return null;
  };

  it('counts an attempt when it begins, so attempts still in flight use up the limit', () => {
    const t = throttle();
    for (let i = 0; i < 3; i++) t.begin(['email:a', 'ip:1']);
    expect(refusal(t, ['email:a', 'ip:2'])).toMatchObject({ kind: 'throttled' });
    expect(refusal(t, ['email:b', 'ip:1'])).toMatchObject({ kind: 'throttled' });
    expect(refusal(t, ['email:b', 'ip:2'])).toBeNull();
  });

  it('refuses with 429 and a Retry-After once a key reaches the limit, until the oldest attempt ages out', () => {
    const t = throttle();
    for (let i = 0; i < 3; i++) {
      t.begin(['email:a']);
      now += MINUTE;
    }
    const refused = refusal(t, ['email:b', 'email:a']);
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({ kind: 'throttled', retryAfterSeconds: 12 * 60 });
    // A refused attempt counts nothing, on any of its keys.
    expect(refusal(t, ['email:b'])).toBeNull();
    now += 12 * MINUTE;
    expect(refusal(t, ['email:a'])).toBeNull();
  });

  it('stops counting an attempt that is forgotten (it succeeded)', () => {
    const t = throttle();
    for (let i = 0; i < 2; i++) t.begin(['email:a', 'ip:1']);
    for (let i = 0; i < 10; i++) t.forget(t.begin(['email:c', 'ip:1']));
    t.begin(['email:a', 'ip:1']);
    expect(refusal(t, ['email:d', 'ip:1'])).toMatchObject({ kind: 'throttled' });
  });

  it('forgets keys whose attempts have aged out, so sprayed e-mails do not pile up', () => {
    const t = throttle();
    for (let i = 0; i < 1000; i++) t.begin([`email:${i}@example.test`]);
    expect(t.size).toBe(1000);
    now += 16 * MINUTE;
    t.begin(['email:last@example.test']);
    expect(t.size).toBe(1);
  });

  it('clears a key', () => {
    const t = throttle();
    for (let i = 0; i < 3; i++) t.begin(['email:a']);
    t.clear('email:a');
    expect(refusal(t, ['email:a'])).toBeNull();
  });
});
