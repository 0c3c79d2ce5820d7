import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { FormatQuery, ResponseFormat } from '../../common/csv';
import {
  TASK_KINDS,
  TASK_PRIORITIES,
  TASK_SORTS,
  TASK_STATUSES,
  TaskKind,
  TaskPriority,
  TaskSort,
  TaskStatus,
} from '../entities/task.entity';
import { MULTI_LINE, PageQueryDto, SINGLE_LINE } from '../../common/validation';

// Auditors are read-only, so a task is never theirs to do.
export const ASSIGNABLE_ROLES = ['admin', 'governance_specialist', 'engineer'] as const;
const CONTROL_CODE = /^AIG-[A-Z]{3}-\d{2}$/;

export class CreateTaskDto {
  @ApiProperty() @IsUUID() systemId: string;

  @ApiPropertyOptional({ description: 'a control implemented for that system' })
  @IsOptional()
  @Matches(CONTROL_CODE, { message: 'controlCode must be a control code such as AIG-GOV-01' })
  controlCode?: string;

  @ApiProperty({ enum: TASK_KINDS }) @IsIn(TASK_KINDS) kind: TaskKind;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(SINGLE_LINE, { message: 'title must be a single line of text' })
  title: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  @Matches(MULTI_LINE, { message: 'description contains control characters' })
  description?: string;

  @ApiProperty({ enum: ASSIGNABLE_ROLES }) @IsIn(ASSIGNABLE_ROLES) assigneeRole: string;

  @ApiPropertyOptional({ description: 'an active user holding assigneeRole' })
  @IsOptional()
  @IsUUID()
  assigneeUserId?: string;

  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }) dueDate?: string;

  @ApiPropertyOptional({ enum: TASK_PRIORITIES }) @IsOptional() @IsIn(TASK_PRIORITIES) priority?: TaskPriority;
}

export class UpdateTaskDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(SINGLE_LINE, { message: 'title must be a single line of text' })
  title?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  @Matches(MULTI_LINE, { message: 'description contains control characters' })
  description?: string;

  @ApiPropertyOptional({ enum: ASSIGNABLE_ROLES }) @IsOptional() @IsIn(ASSIGNABLE_ROLES) assigneeRole?: string;

  @ApiPropertyOptional({ nullable: true, description: 'null unassigns' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID()
  assigneeUserId?: string | null;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsISO8601({ strict: true })
  dueDate?: string | null;

  @ApiPropertyOptional({ enum: TASK_PRIORITIES }) @IsOptional() @IsIn(TASK_PRIORITIES) priority?: TaskPriority;
}

export class TransitionTaskDto {
  @ApiProperty({ enum: TASK_STATUSES }) @IsIn(TASK_STATUSES) to: TaskStatus;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  @Matches(MULTI_LINE, { message: 'comment contains control characters' })
  comment?: string;

  @ApiPropertyOptional({ type: [String], description: "evidence of the task's system supporting the move" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  evidenceIds?: string[];
}

export class ListTasksQueryDto extends PageQueryDto {
  @IsOptional() @IsIn(['me']) assignee?: 'me';
  @IsOptional() @IsIn(TASK_STATUSES) status?: TaskStatus;
  @IsOptional() @IsUUID() systemId?: string;
  @IsOptional() @IsIn(TASK_KINDS) kind?: TaskKind;
  @IsOptional() @IsIn(TASK_PRIORITIES) priority?: TaskPriority;
  @IsOptional() @IsUUID() assigneeUserId?: string;
  @IsOptional() @IsIn(TASK_SORTS) sort?: TaskSort;
  @IsOptional() @Transform(({ value }) => value === 'true' || value === true) @IsBoolean() overdue?: boolean;
  @FormatQuery() format?: ResponseFormat;
}
