import { Inject, MiddlewareConsumer, Module, NestModule, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Application } from 'express';
import { AiSystemsModule } from '../ai-systems/ai-systems.module';
import { AccessScopeModule } from '../access-scope/access-scope.module';
import { AuditsModule } from '../audits/audits.module';
import { AuthModule } from '../auth/auth.module';
import { CatalogModule } from '../catalog/catalog.module';
import { ERROR_PAGE_MODEL, ErrorPageModel } from '../common/domain-error.filter';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { ControlsModule } from '../controls/controls.module';
import { EvidenceModule } from '../evidence/evidence.module';
import { EvidencePacksModule } from '../evidence-packs/evidence-packs.module';
import { EventsModule } from '../events/events.module';
import { IncidentsModule } from '../incidents/incidents.module';
import { TasksModule } from '../tasks/tasks.module';
import { ThreatsModule } from '../threats/threats.module';
import { TokensModule } from '../tokens/tokens.module';
import { UsersModule } from '../users/users.module';
import { WebAdminController, WebAuditsController } from './web-admin.controller';
import { WebAdminService } from './web-admin.service';
import { WebAssets } from './web-assets';
import { WebAssetsController } from './web-assets.controller';
import { WebAuditsService } from './web-audits.service';
import { WebAuthController } from './web-auth.controller';
import { WebCoverageController } from './web-coverage.controller';
import { WebCoverageService } from './web-coverage.service';
import { WebErrorPage } from './web-error-page';
import { WebEvidenceController } from './web-evidence.controller';
import { WebEvidenceService } from './web-evidence.service';
import { webPageLocals } from './web-flash';
import { WebIncidentsController } from './web-incidents.controller';
import { WebIncidentsService } from './web-incidents.service';
import { WebNotificationsController } from './web-notifications.controller';
import { WebNotificationsService } from './web-notifications.service';
import { WebLayout } from './web-layout.service';
import { WebPagesController } from './web-pages.controller';
import { WebPacksService } from './web-packs.service';
import { WebPagesService } from './web-pages.service';
import { WebSessionService } from './web-session.service';
import { WebTokensController } from './web-tokens.controller';
import { WebTokensService } from './web-tokens.service';
import { WebTasksService } from './web-tasks.service';
import { WebViewEngine, webTemplatesDir } from './web-view-engine';
import { WebWorkController } from './web-work.controller';

/** The server-rendered UI: Handlebars pages over the same services as the API, no front-end build. */
@Module({
  imports: [
    AiSystemsModule,
    AccessScopeModule,
    AuditsModule,
    AuthModule,
    CatalogModule,
    ControlsModule,
    EvidenceModule,
    EvidencePacksModule,
    EventsModule,
    IncidentsModule,
    TasksModule,
    ThreatsModule,
    TokensModule,
    UsersModule,
  ],
  controllers: [
    WebAuthController,
    WebPagesController,
    WebWorkController,
    WebIncidentsController,
    WebNotificationsController,
    WebEvidenceController,
    WebAdminController,
    WebAuditsController,
    WebCoverageController,
    WebTokensController,
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
    WebErrorPage,
    WebEvidenceService,
    WebAdminService,
    WebAuditsService,
    WebCoverageService,
    WebTokensService,
  ],
})
export class WebModule implements OnModuleInit, NestModule {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly errorPage: WebErrorPage,
  ) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(webPageLocals).forRoutes('*');
  }

  onModuleInit(): void {
    // CLI commands boot an application context without HTTP: there is no server to render pages for.
    if (!this.adapterHost.httpAdapter) return;
    const express = this.adapterHost.httpAdapter.getInstance<Application>();
    const engine = new WebViewEngine(webTemplatesDir(), this.config.timeZone);
    express.engine('hbs', engine.express);
    express.set('view engine', 'hbs');
    express.set('views', webTemplatesDir());
    const errorPageModel: ErrorPageModel = (request, body) => this.errorPage.model(request, body);
    express.set(ERROR_PAGE_MODEL, errorPageModel);
  }
}
