import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ExternalCrosswalkDto } from './external-crosswalk.dto';

const STRING_MAP = { type: 'object', additionalProperties: { type: 'string' } } as const;

export class FrameworkResponseDto {
  @ApiProperty() key: string;
  @ApiProperty() name: string;
  @ApiProperty() version: string;
  @ApiProperty() publisher: string;
  @ApiProperty() source: string;
  @ApiProperty() licence: string;
  @ApiProperty() requirementCount: number;
  @ApiProperty() leafCount: number;
  @ApiProperty({ format: 'date-time' }) loadedAt: string;
}

export class RequirementNodeDto {
  @ApiProperty() ref: string;
  @ApiProperty() title: string;
  @ApiProperty() description: string;
  @ApiProperty() level: string;
  @ApiProperty(STRING_MAP) attributes: Record<string, string>;
  @ApiProperty() isLeaf: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'why a leaf is organisational (no per-system status)' })
  organisationalReason: string | null;
  @ApiPropertyOptional({ type: () => [RequirementNodeDto], description: 'absent in the flat list' })
  children?: RequirementNodeDto[];
  @ApiPropertyOptional({ type: String, nullable: true, description: 'only in the flat list' })
  parentRef?: string | null;
}

export class RequirementsTreeResponseDto {
  @ApiProperty({ type: FrameworkResponseDto }) framework: FrameworkResponseDto;
  @ApiProperty({
    type: [RequirementNodeDto],
    description: 'the roots of the tree, or every requirement with flat=true',
  })
  requirements: RequirementNodeDto[];
}

class LibraryControlDto {
  @ApiProperty() code: string;
  @ApiProperty() title: string;
  @ApiProperty() objective: string;
  @ApiProperty() domain: string;
  @ApiProperty() ownerRole: string;
  @ApiProperty({ type: [String] }) typicalEvidence: string[];
  @ApiProperty() testProcedure: string;
  @ApiProperty() reviewFrequency: string;
}

export class ControlSummaryResponseDto extends LibraryControlDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    description: 'mappings per framework key',
  })
  mappingCounts: Record<string, number>;
}

class ControlMappingDto {
  @ApiProperty() framework: string;
  @ApiProperty() ref: string;
  @ApiProperty() relationship: string;
  @ApiProperty() strength: number;
  @ApiProperty() rationale: string;
}

export class ControlDetailResponseDto extends LibraryControlDto {
  @ApiProperty({ type: [ControlMappingDto] }) mappings: ControlMappingDto[];
}

const DERIVED_RELATIONSHIPS = [
  'equal-to',
  'equivalent-to',
  'subset-of',
  'superset-of',
  'intersects-with',
  'overlaps',
  'related',
];

class CrosswalkPathDto {
  @ApiProperty() controlCode: string;
  @ApiProperty({ description: 'how the control relates to the source requirement' }) fromRelationship: string;
  @ApiProperty({ description: 'how the control relates to the target requirement' }) toRelationship: string;
  @ApiProperty({ enum: DERIVED_RELATIONSHIPS }) relationship: string;
  @ApiProperty({ description: 'the lower of the two mapping strengths' }) strength: number;
}

class CrosswalkLinkDto {
  @ApiProperty() fromRef: string;
  @ApiProperty() toRef: string;
  @ApiProperty({ enum: DERIVED_RELATIONSHIPS }) relationship: string;
  @ApiProperty({ type: String, nullable: true, description: 'null for overlaps and related (not OSCAL terms)' })
  oscalRelationship: string | null;
  @ApiProperty() strength: number;
  @ApiProperty({ type: [CrosswalkPathDto] }) via: CrosswalkPathDto[];
}

export class CrosswalkResponseDto {
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty() linkCount: number;
  @ApiProperty({ type: [CrosswalkLinkDto] }) links: CrosswalkLinkDto[];
  @ApiProperty({
    type: [ExternalCrosswalkDto],
    description: 'imported crosswalks (OSCAL mapping collections) for the same pair, beside the derived links',
  })
  external: ExternalCrosswalkDto[];
}
