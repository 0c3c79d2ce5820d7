import { Global, Module } from '@nestjs/common';
import { ControlImplementationsRepository } from './control-implementations.repository';
import { ControlsController } from './controls.controller';
import { ControlsService } from './controls.service';
import { CoverageService } from './coverage.service';

@Global()
@Module({
  controllers: [ControlsController],
  providers: [ControlImplementationsRepository, ControlsService, CoverageService],
  exports: [ControlImplementationsRepository, ControlsService, CoverageService],
})
export class ControlsModule {}
