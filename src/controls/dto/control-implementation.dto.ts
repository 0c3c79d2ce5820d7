import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { MULTI_LINE, OptionalNotNull, SINGLE_LINE } from '../../common/validation';
import { IMPLEMENTATION_STATUSES, ImplementationStatus } from '../entities/control-implementation.entity';

export class UpdateControlImplementationDto {
  @ApiPropertyOptional({ enum: IMPLEMENTATION_STATUSES })
  @OptionalNotNull()
  @IsIn(IMPLEMENTATION_STATUSES)
  status?: ImplementationStatus;

  @ApiPropertyOptional({ description: 'how the control is implemented for this system' })
  @OptionalNotNull()
  @IsString()
  @MaxLength(8000)
  @Matches(MULTI_LINE, { message: 'statement contains control characters' })
  statement?: string;

  @ApiPropertyOptional({ description: 'required when status is not_applicable' })
  @ValidateIf((o: UpdateControlImplementationDto) => o.status === 'not_applicable' || o.justification !== undefined)
  @IsString()
  @MinLength(10, { message: 'justification must explain why the control does not apply (at least 10 characters)' })
  @MaxLength(2000)
  @Matches(MULTI_LINE, { message: 'justification contains control characters' })
  justification?: string;

  @ApiPropertyOptional({ description: 'free text: the owning role or team' })
  @OptionalNotNull()
  @IsString()
  @MaxLength(200)
  @Matches(SINGLE_LINE)
  owner?: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'the named owner: an active user, who may not test the control (four-eyes); null clears it',
  })
  @IsOptional()
  @IsUUID('all', { message: 'ownerUserId must be a user id (UUID) or null' })
  ownerUserId?: string | null;

  @ApiPropertyOptional() @OptionalNotNull() @IsISO8601({ strict: true }) nextReviewDue?: string;
  @ApiPropertyOptional({ description: 'true records a review now (last reviewed = now)' })
  @OptionalNotNull()
  @IsBoolean()
  reviewed?: boolean;
}
