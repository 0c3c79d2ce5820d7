import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { plainToInstance, Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { EVIDENCE_KINDS, EvidenceKind, RED_TEAM_OUTCOMES, RedTeamOutcome } from '../entities/evidence.entity';
import { SINGLE_LINE } from '../../common/validation';
import { EvidenceProvenanceDto } from './provenance.dto';

const toArray = ({ value }: { value: unknown }) =>
  value === undefined ? value : Array.isArray(value) ? value : [value];

/**
 * Multipart provenance comes either as one JSON field (`provenance={"source":...}`) or as bracketed fields
 * (`provenance[source]=...`, which multer nests); either becomes an EvidenceProvenanceDto. Anything else stays
 * text, for IsObject to refuse.
 */
const toProvenance = ({ value }: { value: unknown }): unknown => {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return value;
    }
  }
  if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
    return plainToInstance(EvidenceProvenanceDto, parsed);
  // An array would be validated element by element; as text it is refused once, as not an object.
  return typeof value === 'string' ? value : JSON.stringify(value);
};

export class UploadEvidenceDto {
  @ApiProperty({
    type: [String],
    description: 'control codes this evidence supports (multipart: controlCodes[] repeated)',
  })
  @Transform(toArray)
  @IsArray()
  @ArrayMinSize(1, { message: 'controlCodes must name at least one control' })
  @ArrayMaxSize(200)
  @Matches(/^AIG-[A-Z]{3}-\d{2}$/, { each: true, message: 'controlCodes must be control codes such as AIG-GOV-01' })
  controlCodes: string[];

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(SINGLE_LINE, { message: 'title must be a single line of text' })
  title: string;

  @ApiProperty({ enum: EVIDENCE_KINDS }) @IsIn(EVIDENCE_KINDS) kind: EvidenceKind;

  @ApiProperty({ description: 'when the evidence was produced (ISO 8601); distinct from the upload time' })
  @IsISO8601({ strict: true })
  collectedAt: string;

  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }) validUntil?: string;

  @ApiPropertyOptional({ description: "model version it was produced against; defaults to the system's current one" })
  @IsOptional()
  @IsString()
  @MaxLength(80)
  @Matches(SINGLE_LINE)
  modelVersion?: string;

  @ApiPropertyOptional({
    type: [String],
    description:
      'the requirements this evidence supports (multipart: requirementRefs[] repeated), as framework:ref (hipaa-security:164.312(b)) or a ' +
      'ref that is unique among the requirements its controls map to (CC6.1). Each must be a leaf one of the controls maps to. ' +
      'Evidence that names requirements counts towards coverage only for those; evidence that names none counts for every requirement its controls map to.',
  })
  @IsOptional()
  @Transform(toArray)
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(140, { each: true })
  @Matches(SINGLE_LINE, { each: true, message: 'requirementRefs must be single lines of text' })
  requirementRefs?: string[];

  @ApiPropertyOptional({
    type: [String],
    description:
      'kind red_team_report: the MITRE ATLAS technique or sub-technique ids the exercise tested (multipart: atlasTechniqueIds[] repeated), e.g. AML.T0051',
  })
  @IsOptional()
  @Transform(toArray)
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @MaxLength(20, { each: true })
  atlasTechniqueIds?: string[];

  @ApiPropertyOptional({
    enum: RED_TEAM_OUTCOMES,
    description: 'kind red_team_report: pass (the techniques failed) or fail (one succeeded)',
  })
  @IsOptional()
  @IsIn(RED_TEAM_OUTCOMES)
  redTeamOutcome?: RedTeamOutcome;

  @ApiPropertyOptional({
    type: EvidenceProvenanceDto,
    description:
      'where the evidence came from (a pipeline run): multipart `provenance` as one JSON object, or `provenance[source]`, `provenance[runUrl]`, ... fields',
  })
  @IsOptional()
  @Transform(toProvenance)
  @IsObject({
    message:
      'provenance must be an object with source, pipeline, runUrl, commitSha, modelVersion and datasetVersion (JSON or provenance[field] parts)',
  })
  @ValidateNested()
  provenance?: EvidenceProvenanceDto;

  @ApiPropertyOptional({ description: 'id of earlier evidence this upload replaces' })
  @IsOptional()
  @IsUUID()
  supersedesId?: string;
}

export class ReviewEvidenceDto {
  @ApiProperty({ enum: ['accepted', 'rejected'] }) @IsIn(['accepted', 'rejected']) decision: 'accepted' | 'rejected';
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) comment?: string;
}
