import { Global, Module } from '@nestjs/common';
import { ControlImplementationsRepository } from './control-implementations.repository';
import { ControlTestsController } from './control-tests.controller';
import { ControlTestsRepository } from './control-tests.repository';
import { ControlTestsService } from './control-tests.service';
import { ControlsController } from './controls.controller';
import { ControlsService } from './controls.service';
import { CoverageService } from './coverage.service';
import { RequirementDecisionsController } from './requirement-decisions.controller';
import { RequirementDecisionsRepository } from './requirement-decisions.repository';
import { RequirementDecisionsService } from './requirement-decisions.service';

@Global()
@Module({
  controllers: [ControlsController, ControlTestsController, RequirementDecisionsController],
  providers: [
    ControlImplementationsRepository,
    ControlTestsRepository,
    ControlTestsService,
    ControlsService,
    CoverageService,
    RequirementDecisionsRepository,
    RequirementDecisionsService,
  ],
  exports: [
    ControlImplementationsRepository,
    ControlTestsRepository,
    ControlTestsService,
    ControlsService,
    CoverageService,
    RequirementDecisionsRepository,
  ],
})
export class ControlsModule {}
