import { IsIn, IsObject, IsOptional, IsString, IsUUID, Matches } from 'class-validator';

export const SYSTEM_DOCUMENTS = ['component-definition', 'assessment-results', 'poam'] as const;
export type SystemDocument = (typeof SYSTEM_DOCUMENTS)[number];

/** Framework keys: lower-case, digits, dots and dashes, as the built-in ones (`nist-ai-rmf-1.0`). */
export const FRAMEWORK_KEY_PATTERN = /^[a-z0-9][a-z0-9.-]{0,63}$/;

export class SystemDocumentParamsDto {
  @IsUUID() id: string;
  @IsIn(SYSTEM_DOCUMENTS) document: SystemDocument;
}

export class ImportOscalCatalogQueryDto {
  @IsOptional() @IsString() @Matches(FRAMEWORK_KEY_PATTERN, { message: 'key must be 1-64 lower-case letters, digits, dots or dashes' }) key?: string;
}

/**
 * An OSCAL catalog document. Only its shape at the top is checked here; the OSCAL schema check in the service
 * reports problems inside it by their JSON path.
 */
export class OscalCatalogDocumentDto {
  @IsOptional() @IsString() $schema?: string;
  @IsObject() catalog: Record<string, unknown>;
}
