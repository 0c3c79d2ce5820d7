import { Module } from '@nestjs/common';
import { AiSystemsModule } from '../ai-systems/ai-systems.module';
import { CatalogModule } from '../catalog/catalog.module';
import { ControlsModule } from '../controls/controls.module';
import { OscalController } from './oscal.controller';
import { OscalRepository } from './oscal.repository';
import { OscalService } from './oscal.service';

@Module({
  imports: [AiSystemsModule, CatalogModule, ControlsModule],
  controllers: [OscalController],
  providers: [OscalRepository, OscalService],
  exports: [OscalService],
})
export class OscalModule {}
