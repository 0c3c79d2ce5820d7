import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { MULTI_LINE, OptionalNotNull, PageQueryDto, SINGLE_LINE } from '../../common/validation';
import {
  AI_ACT_KINDS,
  AI_ACT_ROLES,
  AiActKind,
  AiActRole,
  GDPR_RISKS,
  GdprRisk,
  INCIDENT_CATEGORIES,
  INCIDENT_SEVERITIES,
  INCIDENT_STATUSES,
  IncidentCategory,
  IncidentSeverity,
  IncidentStatus,
  NOTIFICATION_CHANNELS,
  NotificationChannel,
} from '../entities/incident.entity';

/** MITRE ATLAS technique or sub-technique ids: AML.T0051, AML.T0051.001. */
export const ATLAS_TECHNIQUE = /^AML\.T\d{4}(\.\d{3})?$/;
const CONTROL_CODE = /^AIG-[A-Z]{3}-\d{2}$/;
// A field that may be sent as null to clear it (back to "not known yet"), but not as another type.
const Nullable = () => ValidateIf((_: unknown, value: unknown) => value !== null && value !== undefined);

const single = (name: string) => Matches(SINGLE_LINE, { message: `${name} must be a single line of text` });
const multi = (name: string) => Matches(MULTI_LINE, { message: `${name} contains control characters` });

/** The facts an incident is created with and that a PATCH may change; the obligations are computed from them. */
class IncidentFactsDto {
  @ApiPropertyOptional({ enum: INCIDENT_CATEGORIES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(INCIDENT_CATEGORIES.length)
  @ArrayUnique()
  @IsIn(INCIDENT_CATEGORIES, {
    each: true,
    message: `each category must be one of ${INCIDENT_CATEGORIES.join(', ')} (rule: known_category)`,
  })
  categories?: IncidentCategory[];

  @ApiPropertyOptional({ enum: AI_ACT_KINDS, nullable: true, description: 'required with ai_act_serious_incident' })
  @Nullable()
  @IsIn(AI_ACT_KINDS, { message: `aiActKind must be one of ${AI_ACT_KINDS.join(', ')}` })
  aiActKind?: AiActKind | null;

  @ApiPropertyOptional({
    description: 'a person died (EU AI Act Art. 73(4)); only with death_or_serious_harm_to_health',
  })
  @OptionalNotNull()
  @IsBoolean()
  aiActDeath?: boolean;

  @ApiPropertyOptional({
    enum: AI_ACT_ROLES,
    nullable: true,
    description: "the organisation's AI Act role, used when the system does not record it",
  })
  @Nullable()
  @IsIn(AI_ACT_ROLES)
  aiActRole?: AiActRole | null;

  @ApiPropertyOptional({
    enum: GDPR_RISKS,
    nullable: true,
    description: 'risk of a personal data breach to people (Art. 33(1), 34(1)); null: not assessed yet',
  })
  @Nullable()
  @IsIn(GDPR_RISKS)
  gdprRisk?: GdprRisk | null;

  @ApiPropertyOptional({ nullable: true, minimum: 0, description: 'people affected; null: not known yet' })
  @Nullable()
  @IsInt({ message: 'affectedCount must be a whole number' })
  @Min(0, { message: 'affectedCount cannot be below zero (rule: count_not_negative)' })
  affectedCount?: number | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'integer', minimum: 0 },
    description: 'residents affected per US State or jurisdiction (USPS code), for 45 CFR 164.406',
  })
  @OptionalNotNull()
  @IsObject()
  affectedByState?: Record<string, number>;

  @ApiPropertyOptional({ type: [String], description: 'MITRE ATLAS technique ids such as AML.T0051 or AML.T0051.001' })
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @Matches(ATLAS_TECHNIQUE, {
    each: true,
    message: 'each ATLAS technique must be an id such as AML.T0051 or AML.T0051.001 (rule: atlas_technique_id)',
  })
  atlasTechniques?: string[];

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: "evidence of the incident's systems" })
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  evidenceIds?: string[];
}

export class CreateIncidentDto extends IncidentFactsDto {
  @ApiProperty({ type: [String], format: 'uuid' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  systemIds: string[];

  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) @single('title') title: string;

  @ApiPropertyOptional() @OptionalNotNull() @IsString() @MaxLength(10000) @multi('description') description?: string;

  @ApiProperty({ description: 'when the event was detected (ISO-8601)' })
  @IsISO8601({ strict: true })
  detectedAt: string;

  @ApiProperty({ description: 'when the organisation became aware of the incident: every clock starts here' })
  @IsISO8601({ strict: true })
  becameAwareAt: string;

  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) @single('reporter') reporter: string;

  @ApiProperty({ enum: INCIDENT_SEVERITIES }) @IsIn(INCIDENT_SEVERITIES) severity: IncidentSeverity;
}

export class PostIncidentReviewDto {
  @ApiProperty({ description: 'what was learnt and changed' })
  @IsString()
  @MinLength(1)
  @MaxLength(10000)
  @multi('summary')
  summary: string;

  @ApiProperty({ type: [String], description: 'codes of the controls the review changed' })
  @IsArray()
  @ArrayMinSize(1, { message: 'controlsChanged must name at least one control (rule: review_names_controls)' })
  @ArrayMaxSize(100)
  @ArrayUnique()
  @Matches(CONTROL_CODE, { each: true, message: 'each control must be a code such as AIG-SEC-05' })
  controlsChanged: string[];
}

export class UpdateIncidentDto extends IncidentFactsDto {
  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  @OptionalNotNull()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  systemIds?: string[];

  @ApiPropertyOptional() @OptionalNotNull() @IsString() @MinLength(1) @MaxLength(200) @single('title') title?: string;
  @ApiPropertyOptional() @OptionalNotNull() @IsString() @MaxLength(10000) @multi('description') description?: string;
  @ApiPropertyOptional() @OptionalNotNull() @IsISO8601({ strict: true }) detectedAt?: string;
  @ApiPropertyOptional() @OptionalNotNull() @IsISO8601({ strict: true }) becameAwareAt?: string;
  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @single('reporter')
  reporter?: string;
  @ApiPropertyOptional({ enum: INCIDENT_SEVERITIES })
  @OptionalNotNull()
  @IsIn(INCIDENT_SEVERITIES)
  severity?: IncidentSeverity;

  @ApiPropertyOptional({
    enum: INCIDENT_STATUSES,
    description: 'a declared move: open -> contained -> resolved -> closed',
  })
  @OptionalNotNull()
  @IsIn(INCIDENT_STATUSES)
  status?: IncidentStatus;

  @ApiPropertyOptional({
    description: "recompute the obligations from the systems' current answers, with no fact changed",
  })
  @OptionalNotNull()
  @IsBoolean()
  recompute?: boolean;

  @ApiPropertyOptional({ type: PostIncidentReviewDto, description: 'required to close' })
  @OptionalNotNull()
  @ValidateNested()
  @Type(() => PostIncidentReviewDto)
  review?: PostIncidentReviewDto;
}

export class CreateNotificationDto {
  @ApiProperty({ format: 'uuid', description: "one of the incident's obligations" }) @IsUUID() obligationId: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(400) @single('recipient') recipient: string;
  @ApiProperty({ description: 'when it was sent (ISO-8601)' }) @IsISO8601({ strict: true }) sentAt: string;
  @ApiProperty({ enum: NOTIFICATION_CHANNELS }) @IsIn(NOTIFICATION_CHANNELS) channel: NotificationChannel;
  @ApiPropertyOptional({ description: "the recipient's reference or case number" })
  @OptionalNotNull()
  @IsString()
  @MaxLength(200)
  @single('reference')
  reference?: string;
  @ApiPropertyOptional({ description: 'who sent it; defaults to the signed-in user' })
  @OptionalNotNull()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @single('sender')
  sender?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'the copy sent, stored as evidence of one of the systems' })
  @OptionalNotNull()
  @IsUUID()
  evidenceId?: string;
  @ApiPropertyOptional({ description: 'required when sent after the due time' })
  @OptionalNotNull()
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  @multi('lateReason')
  lateReason?: string;
}

export class ListIncidentsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: INCIDENT_STATUSES }) @IsOptional() @IsIn(INCIDENT_STATUSES) status?: IncidentStatus;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() systemId?: string;
}
