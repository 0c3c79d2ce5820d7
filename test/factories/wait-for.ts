/** How long to wait for a condition, how often to look, and what to name in the timeout error. */
export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  what?: string;
}

type Pending = undefined | null | false;

/**
 * Polls `probe` until it yields something other than undefined, null or false, and returns that; throws naming
 * `what` after `timeoutMs`. Tests wait for a condition this way, never for a fixed sleep (STYLE rule 21).
 */
export async function waitFor<T>(
  probe: () => T | Pending | Promise<T | Pending>,
  { timeoutMs = 20000, intervalMs = 25, what = 'a condition' }: WaitOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * An instant strictly after everything recorded before the call and strictly before anything recorded after it
 * returns: it waits for the millisecond clock to tick past the call, takes that instant, and waits for the next tick.
 */
export async function instantBetween(): Promise<string> {
  const called = Date.now();
  const instant = await waitFor(() => Date.now() > called && Date.now(), { what: 'the clock to tick' });
  await waitFor(() => Date.now() > instant, { what: 'the clock to tick' });
  return new Date(instant).toISOString();
}
