import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor, Authenticated, CurrentActor } from '../common/auth.decorators';
import { AiSystemsService } from './ai-systems.service';
import { AiSystemListResponseDto, AiSystemResponseDto, ApplicabilityResponseDto } from './dto/ai-system-response.dto';
import { CreateAiSystemDto, ListAiSystemsQueryDto, UpdateAiSystemDto } from './dto/ai-system.dto';

@ApiTags('systems')
@Controller('api/v1/systems')
export class AiSystemsController {
  constructor(private readonly systems: AiSystemsService) {}

  @Get()
  @Authenticated({ permission: 'systems:read' })
  @ApiOkResponse({ type: AiSystemListResponseDto })
  list(@CurrentActor() actor: Actor, @Query() query: ListAiSystemsQueryDto): Promise<AiSystemListResponseDto> {
    return this.systems.list(actor, query);
  }

  @Post()
  @Authenticated({ permission: 'systems:write' })
  @ApiCreatedResponse({ type: AiSystemResponseDto })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateAiSystemDto): Promise<AiSystemResponseDto> {
    return this.systems.create(actor, dto);
  }

  @Get(':id')
  @Authenticated({ permission: 'systems:read' })
  @ApiOkResponse({ type: AiSystemResponseDto })
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<AiSystemResponseDto> {
    return this.systems.get(actor, id);
  }

  @Patch(':id')
  @Authenticated({ permission: 'systems:write' })
  @ApiOkResponse({ type: AiSystemResponseDto })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateAiSystemDto,
  ): Promise<AiSystemResponseDto> {
    return this.systems.update(actor, id, dto);
  }

  @Get(':id/applicability')
  @Authenticated({ permission: 'systems:read' })
  @ApiOkResponse({ type: ApplicabilityResponseDto })
  applicability(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<ApplicabilityResponseDto> {
    return this.systems.applicabilityOf(actor, id);
  }
}
