import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor, Authenticated, CurrentActor } from '../common/auth.decorators';
import { ThreatModelResponseDto } from './dto/threat-model.dto';
import { ThreatModelService } from './threat-model.service';

@ApiTags('systems')
@Controller('api/v1/systems')
export class ThreatsController {
  constructor(private readonly threats: ThreatModelService) {}

  @Get(':id/threats')
  @Authenticated({ permission: 'systems:read' })
  @ApiOkResponse({ type: ThreatModelResponseDto })
  threatModel(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<ThreatModelResponseDto> {
    return this.threats.forActor(actor, id);
  }
}
