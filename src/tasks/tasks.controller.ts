import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor, Authenticated, CurrentActor } from '../common/auth.decorators';
import { CsvExport } from '../common/csv';
import { TaskDetailResponseDto, TaskListResponseDto, TaskResponseDto } from './dto/task-response.dto';
import { CreateTaskDto, ListTasksQueryDto, TransitionTaskDto, UpdateTaskDto } from './dto/task.dto';
import { TasksService } from './tasks.service';
import { TASKS_CSV } from './tasks-csv';

@ApiTags('tasks')
@Controller('api/v1/tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get()
  @Authenticated({ permission: 'tasks:read' })
  @ApiOkResponse({ type: TaskListResponseDto })
  @CsvExport(TASKS_CSV)
  list(@CurrentActor() actor: Actor, @Query() query: ListTasksQueryDto): Promise<TaskListResponseDto> {
    return this.tasks.list(actor, query);
  }

  @Post()
  @Authenticated({ permission: 'tasks:write' })
  @ApiCreatedResponse({ type: TaskResponseDto })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateTaskDto): Promise<TaskResponseDto> {
    return this.tasks.create(actor, dto);
  }

  @Get(':id')
  @Authenticated({ permission: 'tasks:read' })
  @ApiOkResponse({ type: TaskDetailResponseDto })
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<TaskDetailResponseDto> {
    return this.tasks.get(actor, id);
  }

  @Patch(':id')
  @Authenticated({ permission: 'tasks:write' })
  @ApiOkResponse({ type: TaskResponseDto })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateTaskDto,
  ): Promise<TaskResponseDto> {
    return this.tasks.update(actor, id, dto);
  }

  @Post(':id/transitions')
  @HttpCode(200)
  @Authenticated({ permission: 'tasks:transition' })
  @ApiOkResponse({ type: TaskDetailResponseDto })
  transition(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: TransitionTaskDto,
  ): Promise<TaskDetailResponseDto> {
    return this.tasks.transition(actor, id, dto);
  }
}
