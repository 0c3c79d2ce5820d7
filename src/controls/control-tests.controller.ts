import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor, Authenticated, CurrentActor } from '../common/auth.decorators';
import { ControlTestsService } from './control-tests.service';
import { ControlTestListDto, ControlTestViewDto, CreateControlTestDto } from './dto/control-test.dto';

@ApiTags('controls')
@Controller('api/v1/systems/:id/controls/:code/tests')
export class ControlTestsController {
  constructor(private readonly tests: ControlTestsService) {}

  @Get()
  @Authenticated({ permission: 'tests:read' })
  @ApiOkResponse({ type: ControlTestListDto })
  list(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('code') code: string,
  ): Promise<ControlTestListDto> {
    return this.tests.list(actor, id, code);
  }

  @Post()
  @Authenticated({ permission: 'tests:write' })
  @ApiCreatedResponse({ type: ControlTestViewDto, description: 'the tester is the caller; never the control owner' })
  create(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('code') code: string,
    @Body() dto: CreateControlTestDto,
  ): Promise<ControlTestViewDto> {
    return this.tests.create(actor, id, code, dto);
  }
}
