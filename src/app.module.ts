import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { AiSystemsModule } from './ai-systems/ai-systems.module';
import { AppBootstrap } from './app-bootstrap.service';
import { AuditScopeModule } from './audits/audit-scope.module';
import { AuditLogModule } from './audit-log/audit-log.module';
import { AuthModule } from './auth/auth.module';
import { CatalogModule } from './catalog/catalog.module';
import { CommonModule } from './common/common.module';
import { RequestLoggingMiddleware } from './common/request-logging.middleware';
import { ConfigModule } from './config/config.module';
import { ControlsModule } from './controls/controls.module';
import { DatabaseModule } from './database/database.module';
import { EvidenceModule } from './evidence/evidence.module';
import { EvidencePacksModule } from './evidence-packs/evidence-packs.module';
import { HealthModule } from './health/health.module';
import { UsersModule } from './users/users.module';

@Module({
  imports: [
    ConfigModule,
    CommonModule,
    DatabaseModule,
    AuditLogModule,
    UsersModule,
    AuthModule,
    CatalogModule,
    AuditScopeModule,
    AiSystemsModule,
    ControlsModule,
    EvidenceModule,
    EvidencePacksModule,
    HealthModule,
  ],
  providers: [AppBootstrap],
})
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestLoggingMiddleware).forRoutes('*path');
  }
}
