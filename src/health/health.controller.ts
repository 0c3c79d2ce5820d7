import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../common/auth.decorators';
import { DatabaseReadiness } from '../database/database-readiness';
import { PDF_RENDERER, PdfRenderer } from '../evidence-packs/chromium-pdf-renderer';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly database: DatabaseReadiness,
    @Inject(PDF_RENDERER) private readonly renderer: PdfRenderer,
  ) {}

  /** 200 when the database answers; the browser's state is reported (packs queue while it is down). */
  @Get()
  @Public()
  async health(@Res({ passthrough: true }) response: Response) {
    const [database, browser] = await Promise.all([this.database.ping(), this.renderer.status()]);
    response.status(database ? 200 : 503);
    return { status: database ? 'ok' : 'down', database: database ? 'up' : 'down', browser };
  }
}
