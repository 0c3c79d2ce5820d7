import { Module } from '@nestjs/common';
import { AiSystemsModule } from '../ai-systems/ai-systems.module';
import { AuditScopeModule } from '../audits/audit-scope.module';
import { CatalogModule } from '../catalog/catalog.module';
import { ControlsModule } from '../controls/controls.module';
import { EvidenceModule } from '../evidence/evidence.module';
import { ThreatModelService } from './threat-model.service';
import { ThreatsController } from './threats.controller';

@Module({
  imports: [AiSystemsModule, AuditScopeModule, CatalogModule, ControlsModule, EvidenceModule],
  controllers: [ThreatsController],
  providers: [ThreatModelService],
  exports: [ThreatModelService],
})
export class ThreatsModule {}
