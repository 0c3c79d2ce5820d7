import {
  Body,
  Controller,
  createParamDecorator,
  ExecutionContext,
  Headers,
  Param,
  ParseUUIDPipe,
  Post,
  Res,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor, Authenticated, CurrentActor } from '../common/auth.decorators';
import { ErrorResponseDto } from '../common/dto/error-response.dto';
import { UploadEvidenceDto } from '../evidence/dto/evidence.dto';
import { EvidenceUploadInterceptor } from '../evidence/evidence-upload.interceptor';
import { UploadedEvidenceFile } from '../evidence/evidence.service';
import { EvidenceReceiptDto } from './dto/evidence-receipt.dto';
import { EvidencePushService } from './evidence-push.service';

/** The file part EvidenceUploadInterceptor staged, or undefined when the request had none. */
export const UploadedEvidence = createParamDecorator(
  (_: unknown, context: ExecutionContext): UploadedEvidenceFile | undefined =>
    context.switchToHttp().getRequest<{ evidenceFile?: UploadedEvidenceFile }>().evidenceFile,
);

/** Evidence uploads, from the web page or a pipeline: stored with provenance, answered with a receipt. */
@ApiTags('evidence')
@Controller('api/v1')
export class EvidencePushController {
  constructor(private readonly push: EvidencePushService) {}

  @Post('systems/:id/evidence')
  @Authenticated({ permission: 'evidence:upload' })
  @ApiConsumes('multipart/form-data')
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      '1-200 printable ASCII characters, remembered 24 h per caller: the same key with the same file and fields returns the first receipt (200, nothing stored); with other content 409 idempotency_conflict',
  })
  @UseInterceptors(EvidenceUploadInterceptor)
  @ApiCreatedResponse({ type: EvidenceReceiptDto, description: 'stored; the receipt' })
  @ApiOkResponse({
    type: EvidenceReceiptDto,
    description: 'a repeated Idempotency-Key: the first receipt, nothing stored',
  })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: 'idempotency_conflict (the key was used for other content), or the system is archived',
  })
  async upload(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) systemId: string,
    @Body() dto: UploadEvidenceDto,
    @UploadedEvidence() file: UploadedEvidenceFile | undefined,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<EvidenceReceiptDto> {
    const { replayed, receipt } = await this.push.push(actor, systemId, dto, file, idempotencyKey);
    if (replayed) response.status(200);
    return receipt;
  }
}
