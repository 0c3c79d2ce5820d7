import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { Actor, Authenticated, CurrentActor } from '../common/auth.decorators';
import { ImportOscalCatalogQueryDto, OscalCatalogDocumentDto, SystemDocumentParamsDto } from './dto/oscal.dto';
import { OscalService } from './oscal.service';

/** OSCAL 1.2.1 JSON exports of systems, framework catalogs and the control library, and the catalog import. */
@ApiTags('oscal')
@Controller('api/v1')
export class OscalController {
  constructor(private readonly oscal: OscalService) {}

  @Get('systems/:id/oscal/:document')
  @Authenticated({ permission: 'systems:read' })
  systemDocument(@CurrentActor() actor: Actor, @Param() params: SystemDocumentParamsDto) {
    return this.oscal.systemDocument(actor, params.id, params.document);
  }

  @Get('frameworks/:key/oscal')
  @Authenticated({ permission: 'catalog:read' })
  frameworkCatalog(@Param('key') key: string) {
    return this.oscal.frameworkCatalog(key);
  }

  @Get('oscal/control-library')
  @Authenticated({ permission: 'catalog:read' })
  controlLibrary() {
    return this.oscal.controlLibrary();
  }

  @Post('frameworks/import/oscal')
  @Authenticated({ permission: 'catalog:write' })
  @ApiBody({ type: OscalCatalogDocumentDto })
  // Typed unknown so the global ValidationPipe leaves the body to the OSCAL schema check (see OscalCatalogDocumentDto).
  importCatalog(@CurrentActor() actor: Actor, @Body() document: unknown, @Query() query: ImportOscalCatalogQueryDto) {
    return this.oscal.importCatalog(actor, document, query.key);
  }
}
