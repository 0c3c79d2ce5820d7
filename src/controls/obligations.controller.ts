import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor, Authenticated, CurrentActor } from '../common/auth.decorators';
import { SystemObligationsResponseDto } from './dto/obligations-response.dto';
import { ObligationsService } from './obligations.service';

/** A system's AI Act obligations with the controls that meet them (here because it reads the implementations). */
@ApiTags('systems')
@Controller('api/v1/systems/:id')
export class ObligationsController {
  constructor(private readonly obligations: ObligationsService) {}

  @Get('obligations')
  @Authenticated({ permission: 'systems:read' })
  @ApiOkResponse({ type: SystemObligationsResponseDto })
  obligationsOf(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<SystemObligationsResponseDto> {
    return this.obligations.obligationsOf(actor, id);
  }
}
