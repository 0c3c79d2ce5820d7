import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Actor, Authenticated, CurrentActor } from '../common/auth.decorators';
import {
  EvidencePackListResponseDto,
  EvidencePackRequestedResponseDto,
  EvidencePackResponseDto,
} from './dto/evidence-pack-response.dto';
import { CreateEvidencePackDto, ListEvidencePacksQueryDto } from './dto/evidence-pack.dto';
import { EvidencePacksService } from './evidence-packs.service';

@ApiTags('packs')
@Controller('api/v1/packs')
export class EvidencePacksController {
  constructor(private readonly packs: EvidencePacksService) {}

  @Post()
  @HttpCode(202)
  @Authenticated({ permission: 'packs:create' })
  @ApiAcceptedResponse({ type: EvidencePackRequestedResponseDto, description: 'queued for rendering' })
  request(@CurrentActor() actor: Actor, @Body() dto: CreateEvidencePackDto): Promise<EvidencePackRequestedResponseDto> {
    return this.packs.request(actor, dto);
  }

  @Get()
  @Authenticated({ permission: 'packs:read' })
  @ApiOkResponse({ type: EvidencePackListResponseDto })
  list(@CurrentActor() actor: Actor, @Query() query: ListEvidencePacksQueryDto): Promise<EvidencePackListResponseDto> {
    return this.packs.list(actor, query);
  }

  @Get(':id')
  @Authenticated({ permission: 'packs:read' })
  @ApiOkResponse({ type: EvidencePackResponseDto })
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<EvidencePackResponseDto> {
    return this.packs.get(actor, id);
  }

  @Get(':id/pdf')
  @Authenticated({ permission: 'packs:read' })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'the PDF, re-hashed before it is sent', schema: { type: 'string', format: 'binary' } })
  pdf(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<StreamableFile> {
    return this.packs.pdf(actor, id);
  }

  @Get(':id/bundle')
  @Authenticated({ permission: 'packs:read' })
  @ApiProduces('application/zip')
  @ApiOkResponse({
    description: 'the ZIP bundle (PDF, manifest, evidence files), each file re-hashed before it is sent',
    schema: { type: 'string', format: 'binary' },
  })
  bundle(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<StreamableFile> {
    return this.packs.bundle(actor, id);
  }
}
