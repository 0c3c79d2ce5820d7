import { Injectable } from '@nestjs/common';
import { Tx } from '../database/transaction-runner';
import { TaskEntity } from './entities/task.entity';
import { TasksRepository } from './tasks.repository';

/**
 * The tasks another module opens from its own records (the incident register's notification tasks), keyed by
 * openSourceKey like the sweep's, so that it depends on this module's service and never on its repository. Each call
 * runs in the caller's transaction, which writes the audit entry.
 */
@Injectable()
export class GeneratedTasks {
  constructor(private readonly tasks: TasksRepository) {}

  /** The unfinished tasks holding these source keys. */
  findHeld(keys: string[], tx: Tx): Promise<TaskEntity[]> {
    return this.tasks.findHeldBySourceKeys(keys, tx);
  }

  /** A held task follows its source: new due date and description (409 when its status moved on meanwhile). */
  follow(tx: Tx, task: TaskEntity, changes: Pick<TaskEntity, 'dueDate' | 'description' | 'updatedAt'>): Promise<void> {
    return this.tasks.update(tx, task.id, task.status, changes);
  }

  /** false when a task for one of these source keys was opened meanwhile (see TasksRepository.insertGenerated). */
  insert(tx: Tx, tasks: TaskEntity[]): Promise<boolean> {
    return this.tasks.insertGenerated(tx, tasks);
  }
}
