import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Res, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor, Authenticated, CurrentActor } from '../common/auth.decorators';
import { CsvExport } from '../common/csv';
import { EvidenceResponseDto } from './dto/evidence-response.dto';
import { ReviewEvidenceDto } from './dto/evidence.dto';
import { EVIDENCE_REGISTER_CSV } from './evidence-csv';
import { EvidenceService } from './evidence.service';

/** RFC 6266 header: an ASCII fallback plus the exact UTF-8 name; always an attachment, never rendered inline. */
function attachmentHeader(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

@ApiTags('evidence')
@Controller('api/v1')
export class EvidenceController {
  constructor(private readonly evidence: EvidenceService) {}

  // POST systems/:id/evidence (the upload, answered with a receipt) is EvidencePushController's, in evidence-push.

  @Get('systems/:id/evidence')
  @Authenticated({ permission: 'evidence:read' })
  @ApiOkResponse({ type: [EvidenceResponseDto] })
  @CsvExport(EVIDENCE_REGISTER_CSV)
  listForSystem(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) systemId: string,
  ): Promise<EvidenceResponseDto[]> {
    return this.evidence.listForSystem(actor, systemId);
  }

  @Get('evidence/:id')
  @Authenticated({ permission: 'evidence:read' })
  @ApiOkResponse({ type: EvidenceResponseDto })
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<EvidenceResponseDto> {
    return this.evidence.get(actor, id);
  }

  @Get('evidence/:id/content')
  @Authenticated({ permission: 'evidence:read' })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({
    description: 'the stored file, re-hashed before it is sent (X-Content-SHA256); always an attachment',
    schema: { type: 'string', format: 'binary' },
  })
  async content(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    const { stream, evidence } = await this.evidence.content(actor, id);
    response.setHeader('Content-Disposition', attachmentHeader(evidence.fileName));
    response.setHeader('X-Content-SHA256', evidence.sha256);
    response.setHeader('Cache-Control', 'private, no-store');
    return new StreamableFile(stream, { type: evidence.mediaType, length: evidence.sizeBytes });
  }

  @Post('evidence/:id/review')
  @HttpCode(200)
  @Authenticated({ permission: 'evidence:review' })
  @ApiOkResponse({ type: EvidenceResponseDto })
  review(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ReviewEvidenceDto,
  ): Promise<EvidenceResponseDto> {
    return this.evidence.review(actor, id, dto);
  }
}
