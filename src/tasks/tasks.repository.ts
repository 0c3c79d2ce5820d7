import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, In, SelectQueryBuilder } from 'typeorm';
import { Tx } from '../database/transaction-runner';
import { StatusColumn } from '../database/status-transition';
import { isUniqueViolation } from '../database/unique-violation';
import { TaskEntity, TaskEventEntity, TaskKind, TaskPriority, TaskSort, TaskStatus } from './entities/task.entity';
import { taskStatusMachine } from './task-status';

const TASK_STATUS = new StatusColumn(TaskEntity, taskStatusMachine);

export interface TaskFilter {
  /** Only tasks assigned to this user. */
  assigneeUserId?: string;
  /** An engineer's reach: tasks assigned to them, or unassigned ones of their role. */
  visibleTo?: { userId: string; role: string };
  status?: TaskStatus;
  systemId?: string;
  kind?: TaskKind;
  priority?: TaskPriority;
  /** Only tasks not done whose due date lies before this instant. */
  overdueAt?: string;
}

@Injectable()
export class TasksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findById(id: string, tx?: Tx): Promise<TaskEntity | null> {
    return (tx ?? this.dataSource.manager).getRepository(TaskEntity).findOneBy({ id });
  }

  /**
   * A page of the filtered tasks in the order asked for: by due date (soonest first, undated last; the default), by
   * priority (critical first), or by last change or creation (newest first); ties in a stable order.
   */
  async findPage(
    filter: TaskFilter,
    limit: number,
    offset: number,
    sort: TaskSort = 'due',
  ): Promise<{ items: TaskEntity[]; total: number }> {
    const query = this.filtered(filter);
    if (sort === 'priority')
      query
        .addSelect(
          "CASE t.priority WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END",
          'priority_rank',
        )
        .orderBy('priority_rank', 'ASC')
        .addOrderBy('t.dueDate', 'ASC', 'NULLS LAST');
    else if (sort === 'updated') query.orderBy('t.updatedAt', 'DESC');
    else if (sort === 'created') query.orderBy('t.createdAt', 'DESC');
    else query.orderBy('t.dueDate', 'ASC', 'NULLS LAST');
    // Ties in a stable order (TypeORM keys orderings by column, so createdAt is not added twice).
    if (sort !== 'created') query.addOrderBy('t.createdAt', 'ASC');
    query.addOrderBy('t.id', 'ASC');
    const [items, total] = await query.skip(offset).take(limit).getManyAndCount();
    return { items, total };
  }

  async countByStatus(filter: TaskFilter): Promise<Map<string, number>> {
    const rows = await this.filtered(filter)
      .select('t.status', 'status')
      .addSelect('COUNT(*)', 'n')
      .groupBy('t.status')
      .getRawMany<{ status: string; n: string | number }>();
    return new Map(rows.map((r) => [r.status, Number(r.n)]));
  }

  count(filter: TaskFilter): Promise<number> {
    return this.filtered(filter).getCount();
  }

  findEvents(taskId: string, tx?: Tx): Promise<TaskEventEntity[]> {
    return (tx ?? this.dataSource.manager)
      .getRepository(TaskEventEntity)
      .find({ where: { taskId }, order: { at: 'ASC', id: 'ASC' } });
  }

  /** The source keys among these that an unfinished task already holds. */
  async findHeldSourceKeys(keys: string[], tx?: Tx): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const held = new Set<string>();
    // Chunked: PostgreSQL and SQLite both cap the number of bound parameters.
    for (let i = 0; i < keys.length; i += 500) {
      const rows = await (tx ?? this.dataSource.manager)
        .getRepository(TaskEntity)
        .createQueryBuilder('t')
        .select('t.openSourceKey', 'key')
        .where('t.openSourceKey IN (:...keys)', { keys: keys.slice(i, i + 500) })
        .getRawMany<{ key: string }>();
      for (const row of rows) held.add(row.key);
    }
    return held;
  }

  /** The unfinished tasks holding these source keys. */
  findHeldBySourceKeys(keys: string[], tx: Tx): Promise<TaskEntity[]> {
    if (keys.length === 0) return Promise.resolve([]);
    return tx.getRepository(TaskEntity).find({ where: { openSourceKey: In(keys) } });
  }

  async insert(tx: Tx, task: TaskEntity): Promise<void> {
    await tx.getRepository(TaskEntity).insert(task);
  }

  /** false when a task for one of these source keys was opened meanwhile (by another instance's sweep). */
  async insertGenerated(tx: Tx, tasks: TaskEntity[]): Promise<boolean> {
    if (tasks.length === 0) return true;
    try {
      await tx.getRepository(TaskEntity).insert(tasks);
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  /** Edits a task decided on while it held `status`: 409 when it moved on meanwhile (say, to done). */
  update(tx: Tx, id: string, status: TaskStatus, changes: Partial<TaskEntity>): Promise<void> {
    return TASK_STATUS.updateWhile(tx, id, status, changes);
  }

  /** Compare-and-set on the status, so two concurrent transitions from the same state cannot both win (409). */
  moveStatus(tx: Tx, id: string, from: TaskStatus, to: TaskStatus, changes: Partial<TaskEntity>): Promise<void> {
    return TASK_STATUS.move(tx, id, from, to, changes);
  }

  async insertEvent(tx: Tx, event: TaskEventEntity): Promise<void> {
    await tx.getRepository(TaskEventEntity).insert(event);
  }

  private filtered(filter: TaskFilter): SelectQueryBuilder<TaskEntity> {
    const query = this.dataSource.getRepository(TaskEntity).createQueryBuilder('t');
    if (filter.visibleTo) {
      const { userId, role } = filter.visibleTo;
      query.andWhere(
        new Brackets((b) =>
          b
            .where('t.assigneeUserId = :viewer', { viewer: userId })
            .orWhere('(t.assigneeUserId IS NULL AND t.assigneeRole = :viewerRole)', { viewerRole: role }),
        ),
      );
    }
    if (filter.assigneeUserId) query.andWhere('t.assigneeUserId = :assignee', { assignee: filter.assigneeUserId });
    if (filter.status) query.andWhere('t.status = :status', { status: filter.status });
    if (filter.systemId) query.andWhere('t.systemId = :systemId', { systemId: filter.systemId });
    if (filter.kind) query.andWhere('t.kind = :kind', { kind: filter.kind });
    if (filter.priority) query.andWhere('t.priority = :priority', { priority: filter.priority });
    if (filter.overdueAt)
      query.andWhere("t.dueDate IS NOT NULL AND t.dueDate < :now AND t.status <> 'done'", { now: filter.overdueAt });
    return query;
  }
}
