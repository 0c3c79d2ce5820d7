import { Body, Controller, Get, Param, Post, Render, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor, Authenticated, CurrentActor } from '../common/auth.decorators';
import { IncidentFormDto, IncidentMoveFormDto, NotificationFormDto } from './dto/incident-forms.dto';
import { sendOutcome } from './web-outcome';
import { WebId } from './web-id';
import { WebIncidentsService } from './web-incidents.service';

/** The incident register's pages: views of the same IncidentsService the API calls. */
@ApiExcludeController()
@Controller('incidents')
export class WebIncidentsController {
  constructor(private readonly incidents: WebIncidentsService) {}

  @Get()
  @Authenticated({ permission: 'incidents:read' })
  @Render('incidents')
  list(@CurrentActor() actor: Actor) {
    return this.incidents.list(actor);
  }

  @Get('new')
  @Authenticated({ permission: 'incidents:write' })
  @Render('incident-form')
  newIncident(@CurrentActor() actor: Actor) {
    return this.incidents.newIncident(actor);
  }

  @Post()
  @Authenticated({ permission: 'incidents:write' })
  async create(@CurrentActor() actor: Actor, @Body() form: IncidentFormDto, @Res() response: Response) {
    sendOutcome(response, await this.incidents.create(actor, form));
  }

  @Get(':id')
  @Authenticated({ permission: 'incidents:read' })
  @Render('incident')
  detail(@CurrentActor() actor: Actor, @Param('id', WebId) id: string) {
    return this.incidents.detail(actor, id);
  }

  @Post(':id/notifications')
  @Authenticated({ permission: 'incidents:write' })
  async notify(
    @CurrentActor() actor: Actor,
    @Param('id', WebId) id: string,
    @Body() form: NotificationFormDto,
    @Res() response: Response,
  ) {
    sendOutcome(response, await this.incidents.notify(actor, id, form));
  }

  @Post(':id/status')
  @Authenticated({ permission: 'incidents:write' })
  async move(
    @CurrentActor() actor: Actor,
    @Param('id', WebId) id: string,
    @Body() form: IncidentMoveFormDto,
    @Res() response: Response,
  ) {
    sendOutcome(response, await this.incidents.move(actor, id, form));
  }
}
