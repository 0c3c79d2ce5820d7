import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { Actor, Authenticated, CurrentActor } from '../common/auth.decorators';
import { FRAMEWORK_KEYS } from '../catalog/policy-files';
import { CsvExport, FormatQuery, ResponseFormat } from '../common/csv';
import { ControlsService } from './controls.service';
import { CONTROL_MATRIX_CSV, COVERAGE_CSV } from './csv-exports';
import { UpdateControlImplementationDto } from './dto/control-implementation.dto';
import {
  ControlImplementationResponseDto,
  CoverageResponseDto,
  SystemControlResponseDto,
} from './dto/control-response.dto';

class CoverageQueryDto {
  @IsOptional() @IsIn(FRAMEWORK_KEYS) framework?: string;
  @FormatQuery() format?: ResponseFormat;
}

@ApiTags('controls')
@Controller('api/v1/systems/:id')
export class ControlsController {
  constructor(private readonly controls: ControlsService) {}

  @Get('controls')
  @Authenticated({ permission: 'systems:read' })
  @ApiOkResponse({ type: [SystemControlResponseDto] })
  @CsvExport(CONTROL_MATRIX_CSV)
  list(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<SystemControlResponseDto[]> {
    return this.controls.listForSystem(actor, id);
  }

  @Patch('controls/:code')
  @Authenticated({ permission: 'controls:write' })
  @ApiOkResponse({ type: ControlImplementationResponseDto })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('code') code: string,
    @Body() dto: UpdateControlImplementationDto,
  ): Promise<ControlImplementationResponseDto> {
    return this.controls.update(actor, id, code, dto);
  }

  @Get('coverage')
  @Authenticated({ permission: 'systems:read' })
  @ApiOkResponse({ type: CoverageResponseDto })
  @CsvExport(COVERAGE_CSV)
  coverage(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: CoverageQueryDto,
  ): Promise<CoverageResponseDto> {
    return this.controls.coverageOf(actor, id, query.framework);
  }
}
