import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Application } from 'express';
import { AuditsModule } from '../audits/audits.module';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { EventsModule } from '../events/events.module';
import { IncidentsModule } from '../incidents/incidents.module';
import { TasksModule } from '../tasks/tasks.module';
import { WebAssets } from './web-assets';
import { WebAssetsController } from './web-assets.controller';
import { WebAuthController } from './web-auth.controller';
import { WebIncidentsController } from './web-incidents.controller';
import { WebIncidentsService } from './web-incidents.service';
import { WebNotificationsController } from './web-notifications.controller';
import { WebNotificationsService } from './web-notifications.service';
import { WebLayout } from './web-layout.service';
import { WebPagesController } from './web-pages.controller';
import { WebPacksService } from './web-packs.service';
import { WebPagesService } from './web-pages.service';
import { WebSessionService } from './web-session.service';
import { WebTasksService } from './web-tasks.service';
import { WebViewEngine, webTemplatesDir } from './web-view-engine';
import { WebWorkController } from './web-work.controller';

/** The server-rendered UI: Handlebars pages over the same services as the API, no front-end build. */
@Module({
  imports: [TasksModule, AuditsModule, IncidentsModule, EventsModule],
  controllers: [
    WebAuthController,
    WebPagesController,
    WebWorkController,
    WebIncidentsController,
    WebNotificationsController,
    WebAssetsController,
  ],
  providers: [
    WebLayout,
    WebPagesService,
    WebTasksService,
    WebPacksService,
    WebIncidentsService,
    WebNotificationsService,
    WebSessionService,
    WebAssets,
  ],
})
export class WebModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    // CLI commands boot an application context without HTTP: there is no server to render pages for.
    if (!this.adapterHost.httpAdapter) return;
    const express = this.adapterHost.httpAdapter.getInstance<Application>();
    const engine = new WebViewEngine(webTemplatesDir(), this.config.timeZone);
    express.engine('hbs', engine.express);
    express.set('view engine', 'hbs');
    express.set('views', webTemplatesDir());
  }
}
