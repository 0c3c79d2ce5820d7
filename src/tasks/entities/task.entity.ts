import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN } from '../../common/time';
import { AiSystemEntity } from '../../ai-systems/entities/ai-system.entity';

// notification: a regulator's, individuals' or a partner's notice that an incident obligation calls for.
export const TASK_KINDS = ['remediation', 'evidence_request', 'review', 'notification'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];
export const TASK_STATUSES = ['open', 'in_progress', 'ready_for_review', 'reopened', 'done'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const TASK_PRIORITIES = ['low', 'medium', 'high', 'critical'] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];
/** The orders a task list can be asked for (due date first by default). */
export const TASK_SORTS = ['due', 'priority', 'updated', 'created'] as const;
export type TaskSort = (typeof TASK_SORTS)[number];

@Entity('tasks')
@Index('IDX_tasks_assignee', ['assigneeUserId', 'status'])
@Index('IDX_tasks_system', ['systemId', 'status'])
export class TaskEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 36 })
  systemId: string;

  @ManyToOne(() => AiSystemEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'systemId' })
  system?: AiSystemEntity;

  @Column({ type: 'varchar', length: 32, nullable: true })
  controlCode: string | null;

  @Column({ type: 'varchar', length: 24 })
  kind: TaskKind;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @Column({ type: 'varchar', length: 32 })
  assigneeRole: string;

  @Column({ type: 'varchar', length: 36, nullable: true })
  assigneeUserId: string | null;

  @Column({ ...TIMESTAMP_COLUMN, nullable: true })
  dueDate: string | null;

  @Column({ type: 'varchar', length: 16 })
  priority: TaskPriority;

  @Column({ type: 'varchar', length: 24 })
  status: TaskStatus;

  /**
   * Key of the condition that generated the task (e.g. "gap:<system>:<control>") while the task is not done;
   * unique, so a sweep can never open a second task for the same condition. NULL for manual or finished tasks.
   */
  @Index('UQ_tasks_open_source_key', { unique: true })
  @Column({ type: 'varchar', length: 160, nullable: true })
  openSourceKey: string | null;

  @Column({ type: 'varchar', length: 36 })
  createdBy: string;

  @Column(TIMESTAMP_COLUMN)
  createdAt: string;

  @Column(TIMESTAMP_COLUMN)
  updatedAt: string;
}

@Entity('task_events')
@Index('IDX_task_events_task', ['taskId', 'at'])
export class TaskEventEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 36 })
  taskId: string;

  @ManyToOne(() => TaskEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'taskId' })
  task?: TaskEntity;

  @Column({ type: 'varchar', length: 24 })
  fromStatus: string;

  @Column({ type: 'varchar', length: 24 })
  toStatus: string;

  @Column({ type: 'varchar', length: 36 })
  actorId: string;

  @Column({ type: 'text', default: '' })
  comment: string;

  @Column({ type: 'simple-json' })
  evidenceIds: string[];

  @Column(TIMESTAMP_COLUMN)
  at: string;
}
