import { AsyncLocalStorage } from 'node:async_hooks';

/** The API token a request runs under, and the creator it acts as. */
export interface TokenAttribution {
  actor: string;
  tokenId: string;
  tokenName: string;
}

const storage = new AsyncLocalStorage<TokenAttribution>();

/**
 * Runs a request's work under its API token, so every audit entry it appends names the token (AuditLogService.append
 * reads it) without each of the services that write one passing it along.
 */
export function runWithToken<T>(attribution: TokenAttribution, work: () => T): T {
  return storage.run(attribution, work);
}

/**
 * The token behind an entry about to be written as `actor`: only when the entry is written in the token's name, so
 * work the request merely set off under another actor (a background job writing as "system") is not attributed.
 */
export function tokenFor(actor: string): TokenAttribution | null {
  const attribution = storage.getStore();
  return attribution && attribution.actor === actor ? attribution : null;
}

/** The payload as stored: the event's own, with the token beside it when one made the change. */
export function attributedPayload(payload: unknown, actor: string): unknown {
  const token = tokenFor(actor);
  if (!token) return payload;
  const viaToken = { id: token.tokenId, name: token.tokenName };
  const isRecord = typeof payload === 'object' && payload !== null && !Array.isArray(payload);
  return isRecord ? { ...payload, viaToken } : payload === undefined ? { viaToken } : { value: payload, viaToken };
}
