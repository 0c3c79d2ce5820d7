import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { AppBootstrap } from './app-bootstrap.service';
import { AuditLogModule } from './audit-log/audit-log.module';
import { AuthModule } from './auth/auth.module';
import { CatalogModule } from './catalog/catalog.module';
import { CommonModule } from './common/common.module';
import { RequestLoggingMiddleware } from './common/request-logging.middleware';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
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
