import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, Authenticated, CurrentActor } from '../common/auth.decorators';
import { CreateEvidencePackDto, ListEvidencePacksQueryDto } from './dto/evidence-pack.dto';
import { EvidencePacksService } from './evidence-packs.service';

@ApiTags('packs')
@Controller('api/v1/packs')
export class EvidencePacksController {
  constructor(private readonly packs: EvidencePacksService) {}

  @Post()
  @HttpCode(202)
  @Authenticated({ permission: 'packs:create' })
  request(@CurrentActor() actor: Actor, @Body() dto: CreateEvidencePackDto) {
    return this.packs.request(actor, dto);
  }

  @Get()
  @Authenticated({ permission: 'packs:read' })
  list(@CurrentActor() actor: Actor, @Query() query: ListEvidencePacksQueryDto) {
    return this.packs.list(actor, query);
  }

  @Get(':id')
  @Authenticated({ permission: 'packs:read' })
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string) {
    return this.packs.get(actor, id);
  }

  @Get(':id/pdf')
  @Authenticated({ permission: 'packs:read' })
  pdf(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<StreamableFile> {
    return this.packs.pdf(actor, id);
  }

  @Get(':id/bundle')
  @Authenticated({ permission: 'packs:read' })
  bundle(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<StreamableFile> {
    return this.packs.bundle(actor, id);
  }
}
