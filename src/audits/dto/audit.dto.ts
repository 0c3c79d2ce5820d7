import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { FRAMEWORK_KEYS } from '../../catalog/policy-files';
import { MULTI_LINE, OptionalNotNull, SINGLE_LINE } from '../../common/validation';
import { ASSERTION_MAX_LENGTH, AUDIT_TYPES, AuditType } from '../entities/audit.entity';

export class CreateAuditDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(SINGLE_LINE, { message: 'name must be a single line of text' })
  name: string;

  @ApiProperty({ type: [String], description: 'existing, non-archived AI systems' })
  @IsArray()
  @ArrayMinSize(1, { message: 'systemIds must name at least one system' })
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  systemIds: string[];

  @ApiProperty({ type: [String], enum: FRAMEWORK_KEYS })
  @IsArray()
  @ArrayMinSize(1, { message: 'frameworks must name at least one framework' })
  @IsIn(FRAMEWORK_KEYS, { each: true })
  frameworks: string[];

  @ApiPropertyOptional({
    enum: AUDIT_TYPES,
    description: 'point_in_time (default): as of the period end; period: over the whole period (e.g. SOC 2 Type II)',
  })
  @OptionalNotNull()
  @IsIn(AUDIT_TYPES)
  type?: AuditType;

  @ApiProperty() @IsISO8601({ strict: true }) periodStart: string;
  @ApiProperty() @IsISO8601({ strict: true }) periodEnd: string;

  @ApiProperty({ type: [String], description: 'users whose role is auditor' })
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  auditorIds: string[];
}

export class UpdateAuditDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(SINGLE_LINE, { message: 'name must be a single line of text' })
  name?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1, { message: 'systemIds must name at least one system' })
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  systemIds?: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  auditorIds?: string[];

  @ApiPropertyOptional({ enum: AUDIT_TYPES })
  @OptionalNotNull()
  @IsIn(AUDIT_TYPES)
  type?: AuditType;

  @ApiPropertyOptional() @OptionalNotNull() @IsISO8601({ strict: true }) periodStart?: string;
  @ApiPropertyOptional() @OptionalNotNull() @IsISO8601({ strict: true }) periodEnd?: string;

  @ApiPropertyOptional({
    maxLength: ASSERTION_MAX_LENGTH,
    description: "management's assertion about the system and its controls; changing it clears the sign-off",
  })
  @OptionalNotNull()
  @IsString()
  @MinLength(1, { message: 'assertion must not be empty' })
  @MaxLength(ASSERTION_MAX_LENGTH, { message: `assertion must be at most ${ASSERTION_MAX_LENGTH} characters` })
  @Matches(MULTI_LINE, { message: 'assertion contains control characters' })
  assertion?: string;
}

export class AuditSystemRefDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
}

export class AuditAuditorRefDto {
  @ApiProperty() id: string;
  @ApiProperty() email: string;
}

export class AssertionSignOffDto {
  @ApiProperty({ description: 'the user who signed off' }) userId: string;
  @ApiProperty({ description: 'their display name when they signed off' }) name: string;
  @ApiProperty() at: string;
}

export class ManagementAssertionDto {
  @ApiProperty() text: string;
  @ApiProperty() updatedBy: string;
  @ApiProperty() updatedAt: string;
  @ApiProperty({ type: AssertionSignOffDto, nullable: true, description: 'null until signed off, and after an edit' })
  signedOff: AssertionSignOffDto | null;
}

export class AuditViewDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: AUDIT_TYPES }) type: AuditType;
  @ApiProperty({ type: [String] }) frameworks: string[];
  @ApiProperty() periodStart: string;
  @ApiProperty() periodEnd: string;
  @ApiProperty({ type: ManagementAssertionDto, nullable: true }) assertion: ManagementAssertionDto | null;
  @ApiProperty({ type: [AuditSystemRefDto] }) systems: AuditSystemRefDto[];
  @ApiProperty({ type: [AuditAuditorRefDto] }) auditors: AuditAuditorRefDto[];
  @ApiProperty() createdBy: string;
  @ApiProperty() createdAt: string;
}

export class AuditListDto {
  @ApiProperty() total: number;
  @ApiProperty({ type: [AuditViewDto] }) items: AuditViewDto[];
}
