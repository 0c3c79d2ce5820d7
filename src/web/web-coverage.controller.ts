import { Controller, Get, Param, Query, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { Actor, Authenticated, CurrentActor } from '../common/auth.decorators';
import { COVERAGE_STATUSES, CoverageStatusFilter, WebCoverageService } from './web-coverage.service';
import { WebId } from './web-id';

class CoverageFilterDto {
  @IsOptional() @IsIn(COVERAGE_STATUSES) status?: CoverageStatusFilter;
}

/** A framework's coverage drill-down for one system, filtered by verdict ("gaps only"). */
@ApiExcludeController()
@Controller('systems/:id/coverage')
export class WebCoverageController {
  constructor(private readonly coverage: WebCoverageService) {}

  @Get(':framework')
  @Authenticated({ permission: 'systems:read' })
  @Render('system-coverage')
  page(
    @CurrentActor() actor: Actor,
    @Param('id', WebId) id: string,
    @Param('framework') framework: string,
    @Query() filter: CoverageFilterDto,
  ) {
    return this.coverage.page(actor, id, framework, filter.status);
  }
}
