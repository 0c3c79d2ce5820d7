import { IsoTimestamp } from '../common/time';
import { TaskEntity, TaskEventEntity } from './entities/task.entity';
import { taskStatusMachine } from './task-status';

export function isOverdue(task: Pick<TaskEntity, 'dueDate' | 'status'>, now: IsoTimestamp): boolean {
  return task.dueDate !== null && task.dueDate < now && task.status !== 'done';
}

export function toTaskView(task: TaskEntity, now: IsoTimestamp) {
  return {
    id: task.id,
    systemId: task.systemId,
    controlCode: task.controlCode,
    kind: task.kind,
    title: task.title,
    description: task.description,
    assigneeRole: task.assigneeRole,
    assigneeUserId: task.assigneeUserId,
    dueDate: task.dueDate,
    priority: task.priority,
    status: task.status,
    overdue: isOverdue(task, now),
    allowedTransitions: taskStatusMachine.allowedFrom(task.status),
    createdBy: task.createdBy,
    createdAt: task.createdAt,
    updatedAt: task.updatedAt,
  };
}

export function toTaskEventView(event: TaskEventEntity) {
  return {
    id: event.id,
    from: event.fromStatus,
    to: event.toStatus,
    actorId: event.actorId,
    comment: event.comment,
    evidenceIds: event.evidenceIds,
    at: event.at,
  };
}
