import { Module } from '@nestjs/common';
import { AiSystemsModule } from '../ai-systems/ai-systems.module';
import { UsersModule } from '../users/users.module';
import { AuditScopeModule } from './audit-scope.module';
import { AuditsController } from './audits.controller';
import { AuditsRepository } from './audits.repository';
import { AuditsService } from './audits.service';

@Module({
  imports: [AiSystemsModule, AuditScopeModule, UsersModule],
  controllers: [AuditsController],
  providers: [AuditsRepository, AuditsService],
  exports: [AuditsService],
})
export class AuditsModule {}
