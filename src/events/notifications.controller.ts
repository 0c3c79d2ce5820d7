import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor, Authenticated, CurrentActor } from '../common/auth.decorators';
import { EmptyBodyDto } from '../common/dto/empty-body.dto';
import { ListNotificationsQueryDto, NotificationListDto, NotificationsMarkedDto } from './dto/notification.dto';
import { NotificationsService } from './notifications.service';

@ApiTags('notifications')
@Controller('api/v1/notifications')
@Authenticated({ permission: 'account:self' })
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOkResponse({
    type: NotificationListDto,
    description: "the caller's latest 100, newest first, and the unread count",
  })
  list(@CurrentActor() actor: Actor, @Query() query: ListNotificationsQueryDto): Promise<NotificationListDto> {
    return this.notifications.list(actor, query.unread ?? false);
  }

  @Post('read-all')
  @HttpCode(200)
  @ApiOkResponse({ type: NotificationsMarkedDto })
  markAllRead(@CurrentActor() actor: Actor, @Body() _body: EmptyBodyDto): Promise<NotificationsMarkedDto> {
    return this.notifications.markAllRead(actor);
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiOkResponse({ type: NotificationsMarkedDto })
  markRead(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() _body: EmptyBodyDto,
  ): Promise<NotificationsMarkedDto> {
    return this.notifications.markRead(actor, id);
  }
}
