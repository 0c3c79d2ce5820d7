import {
  Body,
  Controller,
  createParamDecorator,
  ExecutionContext,
  Get,
  Param,
  Post,
  Render,
  Res,
  StreamableFile,
  UseInterceptors,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { csrfTokenMatches } from '../auth/auth.guard';
import { Actor, Authenticated, CsrfCheckedInMultipartBody, CurrentActor } from '../common/auth.decorators';
import { forbidden } from '../common/domain-errors';
import { EvidenceUploadInterceptor } from '../evidence/evidence-upload.interceptor';
import type { UploadedEvidenceFile } from '../evidence/evidence.service';
import { EvidenceUploadFormDto } from './dto/web-forms.dto';
import { WebEvidenceService } from './web-evidence.service';
import { setFlash } from './web-flash';
import { WebId } from './web-id';

export const UploadedEvidence = createParamDecorator(
  (_: unknown, context: ExecutionContext): UploadedEvidenceFile | undefined =>
    context.switchToHttp().getRequest<{ evidenceFile?: UploadedEvidenceFile }>().evidenceFile,
);

/**
 * The file as the preview frame loads it: nothing in it may run (default-src 'none'), only this site may frame it, the
 * browser must not guess another type (nosniff); inline only for PDF and images, everything else an attachment.
 */
export const PREVIEW_CSP =
  "default-src 'none'; img-src 'self'; frame-ancestors 'self'; form-action 'none'; base-uri 'none'";

function disposition(inline: boolean, fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

@ApiExcludeController()
@Controller()
export class WebEvidenceController {
  constructor(private readonly evidence: WebEvidenceService) {}

  @Get('evidence/:id')
  @Authenticated({ permission: 'evidence:read' })
  @Render('evidence')
  page(@CurrentActor() actor: Actor, @Param('id', WebId) id: string) {
    return this.evidence.evidencePage(actor, id);
  }

  @Get('evidence/:id/file')
  @Authenticated({ permission: 'evidence:read' })
  async file(
    @CurrentActor() actor: Actor,
    @Param('id', WebId) id: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    const { stream, evidence, inline } = await this.evidence.file(actor, id);
    response.setHeader('Content-Security-Policy', PREVIEW_CSP);
    response.setHeader('X-Frame-Options', 'SAMEORIGIN');
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Content-Disposition', disposition(inline, evidence.fileName));
    response.setHeader('Cache-Control', 'private, no-store');
    return new StreamableFile(stream, {
      type: inline ? evidence.mediaType : 'application/octet-stream',
      length: evidence.sizeBytes,
    });
  }

  /** The upload form without JavaScript: the guard cannot read a multipart body, so _csrf is checked here, first. */
  @Post('systems/:id/evidence')
  @Authenticated({ permission: 'evidence:upload' })
  @CsrfCheckedInMultipartBody()
  @UseInterceptors(EvidenceUploadInterceptor)
  async upload(
    @CurrentActor() actor: Actor,
    @Param('id', WebId) systemId: string,
    @Body() form: EvidenceUploadFormDto,
    @UploadedEvidence() file: UploadedEvidenceFile | undefined,
    @Res() response: Response,
  ) {
    if (!csrfTokenMatches(actor, form._csrf))
      throw forbidden(
        'The form has expired or did not come from this site (CSRF check failed); reload the page and try again',
        'csrf_failed',
      );
    const outcome = await this.evidence.upload(actor, systemId, form, file);
    setFlash(response, outcome.flash);
    response.redirect(303, outcome.redirect);
  }
}
