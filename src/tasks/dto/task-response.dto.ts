import { ApiProperty } from '@nestjs/swagger';
import { TASK_KINDS, TASK_PRIORITIES, TASK_STATUSES } from '../entities/task.entity';

export class TaskResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) systemId: string;
  @ApiProperty({ type: String, nullable: true }) controlCode: string | null;
  @ApiProperty({ enum: TASK_KINDS }) kind: string;
  @ApiProperty() title: string;
  @ApiProperty() description: string;
  @ApiProperty() assigneeRole: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) assigneeUserId: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date' }) dueDate: string | null;
  @ApiProperty({ enum: TASK_PRIORITIES }) priority: string;
  @ApiProperty({ enum: TASK_STATUSES }) status: string;
  @ApiProperty() overdue: boolean;
  @ApiProperty({ enum: TASK_STATUSES, isArray: true, description: 'the lifecycle moves from the current status' })
  allowedTransitions: readonly string[];
  @ApiProperty() createdBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class TaskListResponseDto {
  @ApiProperty({ type: [TaskResponseDto] }) items: TaskResponseDto[];
  @ApiProperty({ description: 'tasks matching the filter, before paging' }) total: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: 'tasks per status' })
  counts: Record<string, number>;
  @ApiProperty() overdue: number;
}

class TaskEventDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty() actorId: string;
  @ApiProperty() comment: string;
  @ApiProperty({ type: [String] }) evidenceIds: string[];
  @ApiProperty({ format: 'date-time' }) at: string;
}

class TaskMoveDto {
  @ApiProperty({ enum: TASK_STATUSES }) to: string;
  @ApiProperty({ description: 'whether the signed-in user may make this move now' }) allowed: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'why not; null when allowed' }) refusal: string | null;
  @ApiProperty() takesEvidence: boolean;
  @ApiProperty() needsEvidence: boolean;
  @ApiProperty() needsComment: boolean;
}

export class TaskDetailResponseDto extends TaskResponseDto {
  @ApiProperty({ type: [TaskEventDto] }) events: TaskEventDto[];
  @ApiProperty({ type: [TaskMoveDto], description: 'each lifecycle move and whether this user may make it' })
  allowedMoves: TaskMoveDto[];
}
