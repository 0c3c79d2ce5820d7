import { Body, Controller, Get, Param, Post, Query, Render, Res, StreamableFile } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor, Authenticated, CurrentActor } from '../common/auth.decorators';
import { PackFormDto, TasksFilterDto, TaskTransitionFormDto } from './dto/web-forms.dto';
import { sendOutcome } from './web-outcome';
import { WebId } from './web-id';
import { WebPacksService } from './web-packs.service';
import { WebTasksService } from './web-tasks.service';

/** The pages for work in progress: tasks and evidence packs. */
@ApiExcludeController()
@Controller()
export class WebWorkController {
  constructor(
    private readonly tasks: WebTasksService,
    private readonly packs: WebPacksService,
  ) {}

  @Get('tasks')
  @Authenticated({ permission: 'tasks:read' })
  @Render('tasks')
  taskList(@CurrentActor() actor: Actor, @Query() filter: TasksFilterDto) {
    return this.tasks.taskList(actor, filter);
  }

  @Get('tasks/:id')
  @Authenticated({ permission: 'tasks:read' })
  @Render('task')
  task(@CurrentActor() actor: Actor, @Param('id', WebId) id: string) {
    return this.tasks.taskDetail(actor, id);
  }

  @Post('tasks/:id/transitions')
  @Authenticated({ permission: 'tasks:transition' })
  async transition(
    @CurrentActor() actor: Actor,
    @Param('id', WebId) id: string,
    @Body() form: TaskTransitionFormDto,
    @Res() response: Response,
  ) {
    sendOutcome(response, await this.tasks.transition(actor, id, form));
  }

  @Get('packs')
  @Authenticated({ permission: 'packs:read' })
  @Render('packs')
  packList(@CurrentActor() actor: Actor, @Query() values: PackFormDto) {
    return this.packs.packList(actor, null, values);
  }

  @Post('packs')
  @Authenticated({ permission: 'packs:create' })
  async createPack(@CurrentActor() actor: Actor, @Body() form: PackFormDto, @Res() response: Response) {
    sendOutcome(response, await this.packs.createPack(actor, form));
  }

  @Get('packs/:id/pdf')
  @Authenticated({ permission: 'packs:read' })
  async packPdf(
    @CurrentActor() actor: Actor,
    @Param('id', WebId) id: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    const { stream, name } = await this.packs.download(actor, id, 'pdf');
    response.setHeader('Content-Disposition', `attachment; filename="${name}"`);
    return stream;
  }

  @Get('packs/:id/bundle')
  @Authenticated({ permission: 'packs:read' })
  async packBundle(
    @CurrentActor() actor: Actor,
    @Param('id', WebId) id: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    const { stream, name } = await this.packs.download(actor, id, 'bundle');
    response.setHeader('Content-Disposition', `attachment; filename="${name}"`);
    return stream;
  }

  @Get('packs/:id')
  @Authenticated({ permission: 'packs:read' })
  @Render('pack')
  pack(@CurrentActor() actor: Actor, @Param('id', WebId) id: string) {
    return this.packs.packDetail(actor, id);
  }
}
