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

/** The HTTP status of each kind: the one table the API's error filter and the web forms both read. */
export const STATUS_OF_KIND: Readonly<Record<DomainErrorKind, number>> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_type: 415,
  throttled: 429,
  overloaded: 503,
  insufficient_storage: 507,
};

export function statusOfKind(kind: DomainErrorKind): number {
  return STATUS_OF_KIND[kind];
}

/**
 * The stable machine-readable `code` of every error body (documented in docs/api.md). Each kind has a default code;
 * the others name cases a client must tell apart from their kind's default (retry after a reload, review evidence
 * first, change the password first). Codes are never renamed; a new case gets a new code.
 */
export const ERROR_CODES = [
  'validation_failed',
  'malformed_body',
  'unauthenticated',
  'forbidden',
  'csrf_failed',
  'password_change_required',
  'not_found',
  'route_not_found',
  'conflict',
  'transition_not_allowed',
  'conflict_status_changed',
  'evidence_not_accepted',
  'pack_not_ready',
  'integrity_check_failed',
  'idempotency_conflict',
  'payload_too_large',
  'unsupported_media_type',
  'throttled',
  'overloaded',
  'insufficient_storage',
  'internal_error',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

const DEFAULT_CODE: Readonly<Record<DomainErrorKind, ErrorCode>> = {
  invalid: 'validation_failed',
  unauthenticated: 'unauthenticated',
  forbidden: 'forbidden',
  not_found: 'not_found',
  conflict: 'conflict',
  too_large: 'payload_too_large',
  unsupported_type: 'unsupported_media_type',
  throttled: 'throttled',
  overloaded: 'overloaded',
  insufficient_storage: 'insufficient_storage',
};

export class DomainError extends Error {
  readonly code: ErrorCode;

  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    readonly details?: unknown,
    readonly retryAfterSeconds?: number,
    code?: ErrorCode,
  ) {
    super(message);
    this.code = code ?? DEFAULT_CODE[kind];
  }
}

export const invalid = (message: string, details?: unknown) => new DomainError('invalid', message, details);
export const notFound = (what: string, id: string) => new DomainError('not_found', `${what} ${id} was not found`);
export const forbidden = (message: string, code?: ErrorCode) =>
  new DomainError('forbidden', message, undefined, undefined, code);
export const conflict = (message: string, details?: unknown, code?: ErrorCode) =>
  new DomainError('conflict', message, details, undefined, code);
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
