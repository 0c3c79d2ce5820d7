import { conflict, DomainError } from './domain-errors';

/** A declared transition table; status fields change only through one of these (STYLE rule 9). */
export class StateMachine<S extends string> {
  constructor(
    readonly name: string,
    private readonly transitions: Readonly<Record<S, readonly S[]>>,
  ) {}

  allowedFrom(from: S): readonly S[] {
    return this.transitions[from] ?? [];
  }

  canMove(from: S, to: S): boolean {
    return this.allowedFrom(from).includes(to);
  }

  /** Throws a 409 conflict naming the allowed targets when the move is not in the table. */
  assertMove(from: S, to: S): void {
    const refusal = this.refusal(from, to);
    if (refusal) throw refusal;
  }

  /** The 409 conflict assertMove throws, or null when the move is in the table (for views offering moves). */
  refusal(from: S, to: S): DomainError | null {
    if (this.canMove(from, to)) return null;
    const allowed = this.allowedFrom(from);
    return conflict(
      `A ${this.name} cannot move from ${from} to ${to}; allowed from ${from}: ${allowed.length ? allowed.join(', ') : 'none'}`,
      { from, to, allowed },
      'transition_not_allowed',
    );
  }
}
