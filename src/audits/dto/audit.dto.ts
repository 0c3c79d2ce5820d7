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
import { SINGLE_LINE } from '../../common/validation';

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
}
