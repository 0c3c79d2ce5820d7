import { Body, Controller, Get, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor, Authenticated, CurrentActor } from '../common/auth.decorators';
import { RequirementDecisionDto, RequirementDecisionViewDto } from './dto/requirement-decision.dto';
import { RequirementDecisionsService } from './requirement-decisions.service';

@ApiTags('controls')
@Controller('api/v1/systems/:id/requirements')
export class RequirementDecisionsController {
  constructor(private readonly decisions: RequirementDecisionsService) {}

  @Get('decisions')
  @Authenticated({ permission: 'systems:read' })
  @ApiOkResponse({ type: [RequirementDecisionViewDto] })
  list(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<RequirementDecisionViewDto[]> {
    return this.decisions.list(actor, id);
  }

  @Put('decision')
  @Authenticated({ permission: 'requirements:decide' })
  @ApiOkResponse({ type: RequirementDecisionViewDto })
  decide(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RequirementDecisionDto,
  ): Promise<RequirementDecisionViewDto> {
    return this.decisions.decide(actor, id, dto);
  }
}
