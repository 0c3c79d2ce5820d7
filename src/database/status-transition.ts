import { EntityTarget, FindOptionsWhere, ObjectLiteral } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { conflict } from '../common/domain-errors';
import { StateMachine } from '../common/state-machine';
import { Tx } from './transaction-runner';

/**
 * Compare-and-set: applies the change only while every column in `expected` still holds its value, so a change
 * decided on an earlier read cannot overwrite one committed meanwhile. On PostgreSQL a concurrent writer waits for
 * the row lock and then re-checks the condition; on SQLite the write queue orders them. True when a row changed.
 */
export async function compareAndSet<E extends ObjectLiteral>(
  tx: Tx,
  entity: EntityTarget<E>,
  expected: FindOptionsWhere<E>,
  changes: QueryDeepPartialEntity<E>,
): Promise<boolean> {
  const result = await tx.getRepository(entity).update(expected, changes);
  return (result.affected ?? 0) > 0;
}

/**
 * The one way a status column changes (STYLE rule 14): the move must be declared in the state machine, and the row
 * must still hold the status the caller read (`UPDATE ... WHERE id = :id AND status = :from`). Repositories hold one
 * per status column; services read, decide, then move inside their transaction.
 */
export class StatusColumn<E extends ObjectLiteral, S extends string> {
  constructor(
    private readonly entity: EntityTarget<E>,
    readonly machine: StateMachine<S>,
    private readonly column: keyof E & string = 'status',
  ) {}

  /** False when the row no longer holds `from` (or fails `also`); a 409 when the move is not declared at all. */
  tryMove(
    tx: Tx,
    id: string,
    from: S,
    to: S,
    changes: QueryDeepPartialEntity<E> = {},
    also: FindOptionsWhere<E> = {},
  ): Promise<boolean> {
    this.machine.assertMove(from, to);
    return compareAndSet(tx, this.entity, { ...also, id, [this.column]: from }, {
      ...changes,
      [this.column]: to,
    } as QueryDeepPartialEntity<E>);
  }

  /** As tryMove, answering 409 when the row changed meanwhile. */
  async move(tx: Tx, id: string, from: S, to: S, changes: QueryDeepPartialEntity<E> = {}): Promise<void> {
    if (!(await this.tryMove(tx, id, from, to, changes))) throw this.changedMeanwhile(from, to);
  }

  /** Changes other columns of a row decided on while it held `status`; 409 when the status moved on meanwhile. */
  async updateWhile(tx: Tx, id: string, status: S, changes: QueryDeepPartialEntity<E>): Promise<void> {
    if (
      !(await compareAndSet(tx, this.entity, { id, [this.column]: status } as unknown as FindOptionsWhere<E>, changes))
    )
      throw this.changedMeanwhile(status);
  }

  private changedMeanwhile(from: S, to?: S) {
    return conflict(
      `The ${this.machine.name} changed meanwhile (it is no longer ${from}); reload it and try again`,
      to ? { from, to } : { from },
      'conflict_status_changed',
    );
  }
}
