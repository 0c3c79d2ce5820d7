import { Module } from '@nestjs/common';
import { AiSystemsModule } from './ai-systems/ai-systems.module';
import { AppBootstrap } from './app-bootstrap.service';
import { AccessScopeModule } from './access-scope/access-scope.module';
import { AuditsModule } from './audits/audits.module';
import { AuditLogModule } from './audit-log/audit-log.module';
import { AuthModule } from './auth/auth.module';
import { CatalogModule } from './catalog/catalog.module';
import { CommonModule } from './common/common.module';
import { LoggingModule } from './common/logging.module';
import { ConfigModule } from './config/config.module';
import { ControlsModule } from './controls/controls.module';
import { DatabaseModule } from './database/database.module';
import { EvidenceModule } from './evidence/evidence.module';
import { EvidencePacksModule } from './evidence-packs/evidence-packs.module';
import { EventsModule } from './events/events.module';
import { EvidencePushModule } from './evidence-push/evidence-push.module';
import { HealthModule } from './health/health.module';
import { IncidentsModule } from './incidents/incidents.module';
import { OscalModule } from './oscal/oscal.module';
import { TasksModule } from './tasks/tasks.module';
import { ThreatsModule } from './threats/threats.module';
import { TokensModule } from './tokens/tokens.module';
import { UsersModule } from './users/users.module';
import { WebModule } from './web/web.module';

@Module({
  imports: [
    ConfigModule,
    CommonModule,
    LoggingModule,
    DatabaseModule,
    AuditLogModule,
    UsersModule,
    AuthModule,
    TokensModule,
    CatalogModule,
    AccessScopeModule,
    AiSystemsModule,
    ControlsModule,
    EventsModule,
    EvidenceModule,
    EvidencePushModule,
    ThreatsModule,
    TasksModule,
    AuditsModule,
    EvidencePacksModule,
    OscalModule,
    IncidentsModule,
    HealthModule,
    WebModule,
  ],
  providers: [AppBootstrap],
})
export class AppModule {}
