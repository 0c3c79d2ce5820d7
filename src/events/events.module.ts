import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { EventsRepository } from './events.repository';
import { EventsService } from './events.service';
import { NotificationBellInterceptor } from './notification-bell.interceptor';
import { NotificationsController } from './notifications.controller';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';
import { WebhookDispatcher } from './webhook-dispatcher.service';
import { HttpWebhookSender, WEBHOOK_SENDER } from './webhook-sender';
import { WebhooksController } from './webhooks.controller';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';

/**
 * Domain events: the outbox that services write in their own transactions (EventsService.record), webhooks and
 * their dispatcher, and the per-user notifications behind the bell. Imports nothing but the global modules, so any
 * feature module can import it without a cycle.
 */
@Module({
  controllers: [WebhooksController, NotificationsController],
  providers: [
    EventsRepository,
    EventsService,
    WebhooksRepository,
    WebhooksService,
    WebhookDispatcher,
    HttpWebhookSender,
    { provide: WEBHOOK_SENDER, useExisting: HttpWebhookSender },
    NotificationsRepository,
    NotificationsService,
    { provide: APP_INTERCEPTOR, useClass: NotificationBellInterceptor },
  ],
  exports: [EventsService, NotificationsService, WebhookDispatcher],
})
export class EventsModule {}
