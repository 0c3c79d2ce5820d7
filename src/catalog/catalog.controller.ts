import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../common/auth.decorators';
import { CatalogService } from './catalog.service';
import {
  ControlDetailResponseDto,
  ControlSummaryResponseDto,
  CrosswalkResponseDto,
  FrameworkResponseDto,
  RequirementsTreeResponseDto,
} from './dto/catalog-response.dto';
import { ControlsQueryDto, CrosswalkQueryDto, RequirementsQueryDto } from './dto/catalog.dto';

@ApiTags('catalog')
@Controller('api/v1')
export class CatalogController {
  constructor(private readonly catalog: CatalogService) {}

  @Get('frameworks')
  @Authenticated({ permission: 'catalog:read' })
  @ApiOkResponse({ type: [FrameworkResponseDto] })
  frameworks(): Promise<FrameworkResponseDto[]> {
    return this.catalog.frameworks();
  }

  @Get('frameworks/:key/requirements')
  @Authenticated({ permission: 'catalog:read' })
  @ApiOkResponse({ type: RequirementsTreeResponseDto })
  requirements(@Param('key') key: string, @Query() query: RequirementsQueryDto): Promise<RequirementsTreeResponseDto> {
    return this.catalog.requirementsTree(key, query.flat ?? false);
  }

  @Get('controls')
  @Authenticated({ permission: 'catalog:read' })
  @ApiOkResponse({ type: [ControlSummaryResponseDto] })
  controls(@Query() query: ControlsQueryDto): Promise<ControlSummaryResponseDto[]> {
    return this.catalog.controls(query);
  }

  @Get('controls/:code')
  @Authenticated({ permission: 'catalog:read' })
  @ApiOkResponse({ type: ControlDetailResponseDto })
  control(@Param('code') code: string): Promise<ControlDetailResponseDto> {
    return this.catalog.control(code);
  }

  @Get('crosswalk')
  @Authenticated({ permission: 'catalog:read' })
  @ApiOkResponse({ type: CrosswalkResponseDto })
  crosswalk(@Query() query: CrosswalkQueryDto): Promise<CrosswalkResponseDto> {
    return this.catalog.crosswalk(query.from, query.to);
  }
}
