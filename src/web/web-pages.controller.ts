import { Body, Controller, Get, Param, Post, Query, Render, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor, Authenticated, CurrentActor } from '../common/auth.decorators';
import {
  ControlsFilterDto,
  ControlStatusFormDto,
  EvidenceReviewFormDto,
  SystemFormDto,
  SystemsFilterDto,
} from './dto/web-forms.dto';
import { DashboardQueryDto } from './dto/dashboard-query.dto';
import { sendOutcome } from './web-outcome';
import { WebId } from './web-id';
import { WebPagesService } from './web-pages.service';

/** The server-rendered pages; each one is a view of the same services the API calls. */
@ApiExcludeController()
@Controller()
export class WebPagesController {
  constructor(private readonly pages: WebPagesService) {}

  @Get()
  @Authenticated({ permission: 'systems:read' })
  @Render('dashboard')
  dashboard(@CurrentActor() actor: Actor, @Query() query: DashboardQueryDto) {
    return this.pages.dashboard(actor, query.page);
  }

  @Get('systems')
  @Authenticated({ permission: 'systems:read' })
  @Render('systems')
  systems(@CurrentActor() actor: Actor, @Query() filter: SystemsFilterDto) {
    return this.pages.systemList(actor, filter);
  }

  @Get('systems/new')
  @Authenticated({ permission: 'systems:write' })
  @Render('system-form')
  newSystem(@CurrentActor() actor: Actor) {
    return this.pages.newSystem(actor);
  }

  @Post('systems')
  @Authenticated({ permission: 'systems:write' })
  async createSystem(@CurrentActor() actor: Actor, @Body() form: SystemFormDto, @Res() response: Response) {
    sendOutcome(response, await this.pages.createSystem(actor, form));
  }

  @Get('systems/:id')
  @Authenticated({ permission: 'systems:read' })
  @Render('system')
  system(@CurrentActor() actor: Actor, @Param('id', WebId) id: string) {
    return this.pages.systemDetail(actor, id);
  }

  @Get('systems/:id/edit')
  @Authenticated({ permission: 'systems:write' })
  @Render('system-form')
  editSystem(@CurrentActor() actor: Actor, @Param('id', WebId) id: string) {
    return this.pages.editSystem(actor, id);
  }

  @Post('systems/:id')
  @Authenticated({ permission: 'systems:write' })
  async updateSystem(
    @CurrentActor() actor: Actor,
    @Param('id', WebId) id: string,
    @Body() form: SystemFormDto,
    @Res() response: Response,
  ) {
    sendOutcome(response, await this.pages.updateSystem(actor, id, form));
  }

  @Get('systems/:id/controls')
  @Authenticated({ permission: 'systems:read' })
  @Render('system-controls')
  controls(@CurrentActor() actor: Actor, @Param('id', WebId) id: string, @Query() filter: ControlsFilterDto) {
    return this.pages.systemControls(actor, id, null, filter);
  }

  @Post('systems/:id/controls/:code')
  @Authenticated({ permission: 'controls:write' })
  async changeControl(
    @CurrentActor() actor: Actor,
    @Param('id', WebId) id: string,
    @Param('code') code: string,
    @Body() form: ControlStatusFormDto,
    @Res() response: Response,
  ) {
    sendOutcome(response, await this.pages.changeControl(actor, id, code, form));
  }

  @Post('evidence/:id/review')
  @Authenticated({ permission: 'evidence:review' })
  async reviewEvidence(
    @CurrentActor() actor: Actor,
    @Param('id', WebId) id: string,
    @Body() form: EvidenceReviewFormDto,
    @Res() response: Response,
  ) {
    sendOutcome(response, await this.pages.reviewEvidence(actor, id, form));
  }

  @Get('audit-log')
  @Authenticated({ permission: 'audit-log:read' })
  @Render('audit-log')
  auditLog(@CurrentActor() actor: Actor) {
    return this.pages.auditLogPage(actor);
  }
}
