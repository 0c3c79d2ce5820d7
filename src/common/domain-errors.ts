/**
 * Typed domain errors thrown by services; DomainErrorFilter maps each kind to one HTTP status, so no service knows
 * about HTTP and no client input can surface as a 500.
 */
export type DomainErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'unsupported_type'
  | 'throttled'
  | 'overloaded'
  | 'insufficient_storage';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    readonly details?: unknown,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export const invalid = (message: string, details?: unknown) => new DomainError('invalid', message, details);
export const notFound = (what: string, id: string) => new DomainError('not_found', `${what} ${id} was not found`);
export const forbidden = (message: string) => new DomainError('forbidden', message);
export const conflict = (message: string, details?: unknown) => new DomainError('conflict', message, details);
export const unauthenticated = (message = 'Sign in first') => new DomainError('unauthenticated', message);

const STORAGE_FULL = new Set(['ENOSPC', 'EDQUOT']);

/**
 * A full disk or an exhausted quota while storing a file becomes a 507 the client can understand (the raw errno text
 * names paths and helps nobody); any other error is returned unchanged.
 */
export function storageError(error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (!code || !STORAGE_FULL.has(code)) return error;
  return new DomainError(
    'insufficient_storage',
    'The server has run out of storage space, so nothing was stored. Try again later, or tell your administrator.',
  );
}
