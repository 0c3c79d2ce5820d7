import { DomainError } from '../common/domain-errors';

const WINDOW_MS = 15 * 60 * 1000;

/** One counted sign-in attempt, handed back to the throttle when it turns out to have succeeded. */
export interface LoginAttempt {
  readonly keys: readonly string[];
  readonly at: number;
}

/**
 * Counts sign-in attempts per e-mail and per client address within a 15-minute window. An attempt counts from the
 * moment it starts, before its password is checked, and the check-and-count is synchronous: however many requests
 * arrive at once, at most `maxAttempts` passwords are checked per key and window; the rest get 429. A successful
 * attempt stops counting. Kept in memory, per instance (see docs/security.md for why not in the database).
 */
export class LoginThrottle {
  private readonly attempts = new Map<string, number[]>();
  private lastSweep = 0;

  constructor(
    private readonly maxAttempts: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one attempt on every key, or refuses with 429 (counting nothing) when any key is at its limit. */
  begin(keys: readonly string[]): LoginAttempt {
    const now = this.now();
    this.sweep(now);
    for (const key of keys) {
      const recent = this.recent(key, now);
      if (recent.length >= this.maxAttempts) {
        const retryAfter = Math.ceil((Math.min(...recent) + WINDOW_MS - now) / 1000);
        throw new DomainError(
          'throttled',
          'Too many failed sign-in attempts; try again later',
          undefined,
          Math.max(retryAfter, 1),
        );
      }
    }
    for (const key of keys) {
      const list = this.attempts.get(key);
      if (list) list.push(now);
      else this.attempts.set(key, [now]);
    }
    return { keys, at: now };
  }

  /** The attempt succeeded (or never reached a password check): it no longer counts. */
  forget(attempt: LoginAttempt): void {
    for (const key of attempt.keys) {
      const list = this.attempts.get(key);
      const index = list?.indexOf(attempt.at) ?? -1;
      if (list && index >= 0) list.splice(index, 1);
      if (list?.length === 0) this.attempts.delete(key);
    }
  }

  clear(key: string): void {
    this.attempts.delete(key);
  }

  /** Tracked keys, for tests. */
  get size(): number {
    return this.attempts.size;
  }

  /** Forgets keys whose attempts have all aged out (at most once a minute), so sprayed e-mails cannot pile up. */
  private sweep(now: number): void {
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const key of [...this.attempts.keys()]) this.recent(key, now);
  }

  /** The key's attempts within the window; older ones are dropped. At most maxAttempts long, so filtering is cheap. */
  private recent(key: string, now: number): number[] {
    const list = this.attempts.get(key);
    if (!list) return [];
    const cutoff = now - WINDOW_MS;
    const recent = list.filter((t) => t > cutoff);
    if (recent.length === 0) this.attempts.delete(key);
    else if (recent.length !== list.length) this.attempts.set(key, recent);
    return recent;
  }
}
