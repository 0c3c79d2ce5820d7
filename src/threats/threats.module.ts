import { Module } from '@nestjs/common';
import { AiSystemsModule } from '../ai-systems/ai-systems.module';
import { AccessScopeModule } from '../access-scope/access-scope.module';
import { CatalogModule } from '../catalog/catalog.module';
import { ControlsModule } from '../controls/controls.module';
import { EvidenceModule } from '../evidence/evidence.module';
import { ThreatModelService } from './threat-model.service';
import { ThreatsController } from './threats.controller';

@Module({
  imports: [AiSystemsModule, AccessScopeModule, CatalogModule, ControlsModule, EvidenceModule],
  controllers: [ThreatsController],
  providers: [ThreatModelService],
  exports: [ThreatModelService],
})
export class ThreatsModule {}
