import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, Authenticated, CurrentActor } from '../common/auth.decorators';
import { CreateTaskDto, ListTasksQueryDto, TransitionTaskDto, UpdateTaskDto } from './dto/task.dto';
import { TasksService } from './tasks.service';

@ApiTags('tasks')
@Controller('api/v1/tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get()
  @Authenticated({ permission: 'tasks:read' })
  list(@CurrentActor() actor: Actor, @Query() query: ListTasksQueryDto) {
    return this.tasks.list(actor, query);
  }

  @Post()
  @Authenticated({ permission: 'tasks:write' })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateTaskDto) {
    return this.tasks.create(actor, dto);
  }

  @Get(':id')
  @Authenticated({ permission: 'tasks:read' })
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string) {
    return this.tasks.get(actor, id);
  }

  @Patch(':id')
  @Authenticated({ permission: 'tasks:write' })
  update(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateTaskDto) {
    return this.tasks.update(actor, id, dto);
  }

  @Post(':id/transitions')
  @HttpCode(200)
  @Authenticated({ permission: 'tasks:transition' })
  transition(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() dto: TransitionTaskDto) {
    return this.tasks.transition(actor, id, dto);
  }
}
