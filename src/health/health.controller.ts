import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { RolePermissionsProvider } from '../common/role-permissions.provider';
import { Public } from '../common/auth.decorators';
import { DatabaseReadiness } from '../database/database-readiness';
import { PDF_RENDERER, PdfRenderer } from '../pdf/chromium-pdf-renderer';
import { HealthResponseDto } from './dto/health-response.dto';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly database: DatabaseReadiness,
    @Inject(PDF_RENDERER) private readonly renderer: PdfRenderer,
    private readonly permissions: RolePermissionsProvider,
  ) {}

  /**
   * 200 when the database answers; the browser's last known state is reported (packs queue while it is down) and
   * never probed: a health check must not launch Chromium. Anonymous callers learn only up/down; the executable,
   * version and last error are for callers holding health:details, as they reveal the host's layout.
   */
  @Get()
  @Public()
  @ApiOkResponse({ type: HealthResponseDto })
  @ApiServiceUnavailableResponse({ type: HealthResponseDto, description: 'the database does not answer' })
  async health(
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<HealthResponseDto> {
    const database = await this.database.ping();
    const browser = this.renderer.status();
    response.status(database ? 200 : 503);
    const body = { status: database ? 'ok' : 'down', database: database ? 'up' : 'down', browser: browser.status };
    const detailed = request.actor !== undefined && this.permissions.can(request.actor, 'health:details');
    return detailed ? { ...body, details: { browser } } : body;
  }
}
