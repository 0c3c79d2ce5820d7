import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches } from 'class-validator';

export const SYSTEM_DOCUMENTS = ['component-definition', 'assessment-results', 'poam'] as const;
export type SystemDocument = (typeof SYSTEM_DOCUMENTS)[number];

/** Framework keys: lower-case, digits, dots and dashes, as the built-in ones (`nist-ai-rmf-1.0`). */
export const FRAMEWORK_KEY_PATTERN = /^[a-z0-9][a-z0-9.-]{0,63}$/;

export class SystemIdParamsDto {
  @IsUUID() id: string;
}

export class SystemDocumentParamsDto {
  @IsUUID() id: string;
  @IsIn(SYSTEM_DOCUMENTS) document: SystemDocument;
}

/** Framework keys that stand for the source and target catalogs of every mapping of an imported collection. */
export class ImportMappingCollectionQueryDto {
  @IsOptional()
  @IsString()
  @Matches(FRAMEWORK_KEY_PATTERN, { message: 'from must be 1-64 lower-case letters, digits, dots or dashes' })
  from?: string;

  @IsOptional()
  @IsString()
  @Matches(FRAMEWORK_KEY_PATTERN, { message: 'to must be 1-64 lower-case letters, digits, dots or dashes' })
  to?: string;
}

export class SspQueryDto {
  @IsOptional()
  @IsString()
  @Matches(FRAMEWORK_KEY_PATTERN, { message: 'framework must be 1-64 lower-case letters, digits, dots or dashes' })
  framework?: string;
}

/** An OSCAL JSON document in OpenAPI: the model's NIST schema (src/oscal/schemas/1.2.1) describes it in full. */
export const oscalDocumentSchema = (root: string) => ({
  type: 'object' as const,
  description: `An OSCAL 1.2.1 ${root} document (JSON, valid against the NIST oscal_*_schema.json of that model)`,
  properties: { [root]: { type: 'object' as const, additionalProperties: true } },
  required: [root],
});

export class ImportOscalCatalogQueryDto {
  @IsOptional()
  @IsString()
  @Matches(FRAMEWORK_KEY_PATTERN, { message: 'key must be 1-64 lower-case letters, digits, dots or dashes' })
  key?: string;
}

/**
 * An OSCAL catalog document, for the OpenAPI description only. The body is checked against the OSCAL JSON
 * schema in parseOscalCatalog, which is stricter than a DTO and names each problem by its JSON path; running it
 * through class-transformer as well would deep-copy every object of a catalog (0.2-0.4 s for 30,000 controls on the
 * request thread) for no added check.
 */
export class OscalCatalogDocumentDto {
  @ApiPropertyOptional() $schema?: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'uuid, metadata, groups and controls as in OSCAL 1.0.x-1.2.x (validated against the schema of its oscal-version)',
  })
  catalog: Record<string, unknown>;
}
