import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, Authenticated, CurrentActor } from '../common/auth.decorators';
import { AiSystemsService } from './ai-systems.service';
import { CreateAiSystemDto, ListAiSystemsQueryDto, UpdateAiSystemDto } from './dto/ai-system.dto';

@ApiTags('systems')
@Controller('api/v1/systems')
export class AiSystemsController {
  constructor(private readonly systems: AiSystemsService) {}

  @Get()
  @Authenticated({ permission: 'systems:read' })
  list(@CurrentActor() actor: Actor, @Query() query: ListAiSystemsQueryDto) {
    return this.systems.list(actor, query);
  }

  @Post()
  @Authenticated({ permission: 'systems:write' })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateAiSystemDto) {
    return this.systems.create(actor, dto);
  }

  @Get(':id')
  @Authenticated({ permission: 'systems:read' })
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string) {
    return this.systems.get(actor, id);
  }

  @Patch(':id')
  @Authenticated({ permission: 'systems:write' })
  update(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateAiSystemDto) {
    return this.systems.update(actor, id, dto);
  }

  @Get(':id/applicability')
  @Authenticated({ permission: 'systems:read' })
  applicability(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string) {
    return this.systems.applicabilityOf(actor, id);
  }
}
