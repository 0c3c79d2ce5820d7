import { Body, Controller, Get, Param, Post, Query, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CrosswalkQueryDto } from '../catalog/dto/catalog.dto';
import { ExternalCrosswalkImportResponseDto } from '../catalog/dto/external-crosswalk.dto';
import { Actor, Authenticated, CurrentActor } from '../common/auth.decorators';
import {
  ImportMappingCollectionQueryDto,
  ImportOscalCatalogQueryDto,
  OscalCatalogDocumentDto,
  oscalDocumentSchema,
  SspQueryDto,
  SystemDocumentParamsDto,
  SystemIdParamsDto,
} from './dto/oscal.dto';
import { OscalCatalogImportResponseDto } from './dto/oscal-response.dto';
import { OscalUploadInterceptor } from './oscal-upload.interceptor';
import { OscalService } from './oscal.service';

/**
 * OSCAL 1.2.1 JSON exports of systems (component definition, SSP, assessment results, POA&M), framework catalogs, the
 * control library and its mappings, the derived crosswalk as a mapping collection; catalog and mapping imports.
 */
@ApiTags('oscal')
@Controller('api/v1')
export class OscalController {
  constructor(private readonly oscal: OscalService) {}

  // Declared before systems/:id/oscal/:document so "ssp" is not read as a document name.
  @Get('systems/:id/oscal/ssp')
  @Authenticated({ permission: 'systems:read' })
  @ApiOkResponse({ schema: oscalDocumentSchema('system-security-plan') })
  ssp(@CurrentActor() actor: Actor, @Param() params: SystemIdParamsDto, @Query() query: SspQueryDto) {
    return this.oscal.systemSecurityPlan(actor, params.id, query.framework);
  }

  @Get('systems/:id/oscal/:document')
  @Authenticated({ permission: 'systems:read' })
  @ApiOkResponse({
    schema: oscalDocumentSchema('component-definition | assessment-results | plan-of-action-and-milestones'),
  })
  systemDocument(@CurrentActor() actor: Actor, @Param() params: SystemDocumentParamsDto) {
    return this.oscal.systemDocument(actor, params.id, params.document);
  }

  @Get('frameworks/:key/oscal')
  @Authenticated({ permission: 'catalog:read' })
  @ApiOkResponse({ schema: oscalDocumentSchema('catalog') })
  frameworkCatalog(@Param('key') key: string) {
    return this.oscal.frameworkCatalog(key);
  }

  @Get('oscal/control-library')
  @Authenticated({ permission: 'catalog:read' })
  @ApiOkResponse({ schema: oscalDocumentSchema('catalog') })
  controlLibrary() {
    return this.oscal.controlLibrary();
  }

  @Get('oscal/mappings/control-library')
  @Authenticated({ permission: 'catalog:read' })
  @ApiOkResponse({ schema: oscalDocumentSchema('mapping-collection') })
  controlLibraryMappings() {
    return this.oscal.controlLibraryMappings();
  }

  @Get('crosswalk/oscal')
  @Authenticated({ permission: 'catalog:read' })
  @ApiOkResponse({ schema: oscalDocumentSchema('mapping-collection') })
  crosswalkMappings(@Query() query: CrosswalkQueryDto) {
    return this.oscal.crosswalkMappings(query.from, query.to);
  }

  @Post('crosswalk/import/oscal')
  @Authenticated({ permission: 'catalog:write' })
  @UseInterceptors(OscalUploadInterceptor)
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({
    schema: {
      type: 'object',
      description:
        'multipart/form-data with the OSCAL 1.2 mapping-collection JSON as the part "file" (at most 20 MB), or the ' +
        'document itself as an application/json body (at most 1 MB)',
      properties: { file: { type: 'string', format: 'binary' } },
    },
  })
  @ApiCreatedResponse({ type: ExternalCrosswalkImportResponseDto })
  // Typed unknown: the OSCAL schema check in parseMappingCollection is the validation (see OscalCatalogDocumentDto).
  importMappingCollection(
    @CurrentActor() actor: Actor,
    @Body() document: unknown,
    @Query() query: ImportMappingCollectionQueryDto,
  ): Promise<ExternalCrosswalkImportResponseDto> {
    return this.oscal.importMappingCollection(actor, document, { from: query.from, to: query.to });
  }

  @Post('frameworks/import/oscal')
  @Authenticated({ permission: 'catalog:write' })
  @ApiBody({ type: OscalCatalogDocumentDto })
  @ApiCreatedResponse({ type: OscalCatalogImportResponseDto })
  // Typed unknown so the global ValidationPipe leaves the body to the OSCAL schema check (see OscalCatalogDocumentDto).
  importCatalog(
    @CurrentActor() actor: Actor,
    @Body() document: unknown,
    @Query() query: ImportOscalCatalogQueryDto,
  ): Promise<OscalCatalogImportResponseDto> {
    return this.oscal.importCatalog(actor, document, query.key);
  }
}
