import { Module } from '@nestjs/common';
import { AiSystemsModule } from '../ai-systems/ai-systems.module';
import { UsersModule } from '../users/users.module';
import { AccessScopeModule } from '../access-scope/access-scope.module';
import { AuditScopeRepository } from './audit-scope.repository';
import { AuditsController } from './audits.controller';
import { AuditsRepository } from './audits.repository';
import { AuditsService } from './audits.service';

@Module({
  imports: [AiSystemsModule, AccessScopeModule, UsersModule],
  controllers: [AuditsController],
  providers: [AuditScopeRepository, AuditsRepository, AuditsService],
  exports: [AuditsService],
})
export class AuditsModule {}
