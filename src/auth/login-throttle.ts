import { DomainError } from '../common/domain-errors';

const WINDOW_MS = 15 * 60 * 1000;

/**
 * Counts failed logins per e-mail and per client address within a 15-minute window; past the limit, further attempts
 * are answered 429 until the window passes. Kept in memory: each instance throttles on its own, which still bounds
 * guessing to limit x instances per window.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();
  private lastSweep = 0;

  constructor(
    private readonly maxFailures: number,
    private readonly now: () => number = Date.now,
  ) {}

  assertAllowed(keys: string[]): void {
    for (const key of keys) {
      const recent = this.recent(key);
      if (recent.length >= this.maxFailures) {
        const retryAfter = Math.ceil((recent[0] + WINDOW_MS - this.now()) / 1000);
        throw new DomainError('throttled', 'Too many failed sign-in attempts; try again later', undefined, Math.max(retryAfter, 1));
      }
    }
  }

  recordFailure(keys: string[]): void {
    this.sweep();
    for (const key of keys) this.failures.set(key, [...this.recent(key), this.now()]);
  }

  clear(key: string): void {
    this.failures.delete(key);
  }

  /** Forgets keys whose failures have all aged out (at most once a minute), so sprayed e-mails cannot pile up. */
  private sweep(): void {
    if (this.now() - this.lastSweep < 60_000) return;
    this.lastSweep = this.now();
    for (const key of [...this.failures.keys()]) this.recent(key);
  }

  /** Tracked keys, for tests. */
  get size(): number {
    return this.failures.size;
  }

  private recent(key: string): number[] {
    const cutoff = this.now() - WINDOW_MS;
    const recent = (this.failures.get(key) ?? []).filter((t) => t > cutoff);
    if (recent.length === 0) this.failures.delete(key);
    return recent;
  }
}
