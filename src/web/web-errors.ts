import { DomainError } from '../common/domain-errors';

const STATUS_OF: Partial<Record<DomainError['kind'], number>> = {
  invalid: 400,
  forbidden: 403,
  conflict: 409,
  throttled: 429,
  overloaded: 503,
};

/**
 * A refusal a form can explain in words on the page it came from (an invalid value, a move not allowed, a busy queue).
 * Anything else (a missing record, a bug) is rethrown and shown by the error page.
 */
export function formRefusal(error: unknown): { status: number; message: string } {
  if (!(error instanceof DomainError)) throw error;
  const status = STATUS_OF[error.kind];
  if (status === undefined) throw error;
  return { status, message: error.message };
}
