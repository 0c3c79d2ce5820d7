import { Global, Module } from '@nestjs/common';
import { ControlImplementationsRepository } from './control-implementations.repository';
import { ControlTestsRepository } from './control-tests.repository';
import { ControlsController } from './controls.controller';
import { ControlsService } from './controls.service';
import { CoverageService } from './coverage.service';
import { RequirementDecisionsController } from './requirement-decisions.controller';
import { RequirementDecisionsRepository } from './requirement-decisions.repository';
import { RequirementDecisionsService } from './requirement-decisions.service';

@Global()
@Module({
  controllers: [ControlsController, RequirementDecisionsController],
  providers: [
    ControlImplementationsRepository,
    ControlTestsRepository,
    ControlsService,
    CoverageService,
    RequirementDecisionsRepository,
    RequirementDecisionsService,
  ],
  exports: [
    ControlImplementationsRepository,
    ControlTestsRepository,
    ControlsService,
    CoverageService,
    RequirementDecisionsRepository,
  ],
})
export class ControlsModule {}
