import type { CsvExportSpec } from '../common/csv';
import type { TaskListResponseDto, TaskResponseDto } from './dto/task-response.dto';

/** The tasks of a list query (same filter and page as the JSON answer): a row per task. */
export const TASKS_CSV: CsvExportSpec<TaskListResponseDto, TaskResponseDto> = {
  fileName: () => 'tasks',
  rows: (body) => body.items,
  columns: [
    { header: 'id', value: (t) => t.id },
    { header: 'title', value: (t) => t.title },
    { header: 'kind', value: (t) => t.kind },
    { header: 'system', value: (t) => t.systemId },
    { header: 'control', value: (t) => t.controlCode },
    { header: 'status', value: (t) => t.status },
    { header: 'priority', value: (t) => t.priority },
    { header: 'assignee role', value: (t) => t.assigneeRole },
    { header: 'assignee', value: (t) => t.assigneeUserId },
    { header: 'due', value: (t) => t.dueDate },
    { header: 'overdue', value: (t) => t.overdue },
    { header: 'created', value: (t) => t.createdAt },
    { header: 'updated', value: (t) => t.updatedAt },
  ],
};
