import { Module } from '@nestjs/common';
import { AccessScopeModule } from '../access-scope/access-scope.module';
import { AiSystemsModule } from '../ai-systems/ai-systems.module';
import { CatalogModule } from '../catalog/catalog.module';
import { EvidenceModule } from '../evidence/evidence.module';
import { UsersModule } from '../users/users.module';
import { ControlImplementationsQueries } from './control-implementations.queries';
import { ControlImplementationsRepository } from './control-implementations.repository';
import { ControlTestsController } from './control-tests.controller';
import { ControlTestsRepository } from './control-tests.repository';
import { ControlTestsService } from './control-tests.service';
import { ControlsController } from './controls.controller';
import { ControlsService } from './controls.service';
import { CoverageService } from './coverage.service';
import { CoverageSnapshotsRepository } from './coverage-snapshots.repository';
import { CoverageSummariesRepository } from './coverage-summaries.repository';
import { CoverageSummaryScheduler } from './coverage-summary.scheduler';
import { CoverageSummaryService } from './coverage-summary.service';
import { CoverageTrendService } from './coverage-trend.service';
import { InputChangesRepository } from './input-changes.repository';
import { InputChangesService } from './input-changes.service';
import { EvaluationMetricsRepository } from './evaluation-metrics.repository';
import { EvaluationMetricsService } from './evaluation-metrics.service';
import { EvaluationTestsRecorderService } from './evaluation-tests.recorder';
import { ObligationsController } from './obligations.controller';
import { ObligationsService } from './obligations.service';
import { RequirementDecisionsController } from './requirement-decisions.controller';
import { RequirementDecisionsRepository } from './requirement-decisions.repository';
import { RequirementDecisionsService } from './requirement-decisions.service';
import { SystemImplementations } from './system-implementations.service';

/** Control implementations, tests, requirement decisions, coverage and obligations; it supplies the ports of
 * ai-systems and evidence (SystemImplementations), which sit below it. */
@Module({
  imports: [AccessScopeModule, AiSystemsModule, CatalogModule, EvidenceModule, UsersModule],
  controllers: [ControlsController, ControlTestsController, RequirementDecisionsController, ObligationsController],
  providers: [
    ControlImplementationsQueries,
    ControlImplementationsRepository,
    ControlTestsRepository,
    ControlTestsService,
    ControlsService,
    CoverageService,
    CoverageSnapshotsRepository,
    CoverageSummariesRepository,
    CoverageSummaryScheduler,
    CoverageSummaryService,
    CoverageTrendService,
    InputChangesRepository,
    InputChangesService,
    EvaluationMetricsRepository,
    EvaluationMetricsService,
    EvaluationTestsRecorderService,
    ObligationsService,
    RequirementDecisionsRepository,
    RequirementDecisionsService,
    SystemImplementations,
  ],
  exports: [
    ControlImplementationsQueries,
    ControlTestsService,
    ControlsService,
    CoverageService,
    CoverageSummaryService,
    CoverageTrendService,
    EvaluationMetricsService,
    InputChangesService,
    ObligationsService,
  ],
})
export class ControlsModule {}
