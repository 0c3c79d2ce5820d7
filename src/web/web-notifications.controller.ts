import { Body, Controller, Get, Param, Post, Render, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor, Authenticated, CurrentActor } from '../common/auth.decorators';
import { CsrfOnlyFormDto } from './dto/web-forms.dto';
import { WebId } from './web-id';
import { WebNotificationsService } from './web-notifications.service';
import { sendOutcome } from './web-outcome';

/** The bell's page: the signed-in user's notifications, marked read one by one or all at once (post/redirect/get). */
@ApiExcludeController()
@Controller('notifications')
@Authenticated({ permission: 'account:self' })
export class WebNotificationsController {
  constructor(private readonly notifications: WebNotificationsService) {}

  @Get()
  @Render('notifications')
  list(@CurrentActor() actor: Actor) {
    return this.notifications.page(actor);
  }

  @Post('read-all')
  async markAllRead(@CurrentActor() actor: Actor, @Body() _form: CsrfOnlyFormDto, @Res() response: Response) {
    sendOutcome(response, await this.notifications.markAllRead(actor));
  }

  @Post(':id/read')
  async markRead(
    @CurrentActor() actor: Actor,
    @Param('id', WebId) id: string,
    @Body() _form: CsrfOnlyFormDto,
    @Res() response: Response,
  ) {
    sendOutcome(response, await this.notifications.markRead(actor, id));
  }
}
