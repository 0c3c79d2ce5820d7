import { DomainError, DomainErrorKind, statusOfKind } from '../common/domain-errors';

/** Kinds a form can explain in words on the page it came from; their status comes from the API's one table. */
const FORM_KINDS: ReadonlySet<DomainErrorKind> = new Set([
  'invalid',
  'forbidden',
  'conflict',
  'throttled',
  'overloaded',
]);

/**
 * A refusal a form can explain in words on the page it came from (an invalid value, a move not allowed, a busy queue).
 * Anything else (a missing record, a bug) is rethrown and shown by the error page.
 */
export function formRefusal(error: unknown): { status: number; message: string } {
  if (!(error instanceof DomainError) || !FORM_KINDS.has(error.kind)) throw error;
  return { status: statusOfKind(error.kind), message: error.message };
}
