import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { Permission, PERMISSIONS } from '../../common/auth.decorators';
import { OptionalNotNull, SINGLE_LINE } from '../../common/validation';

export const DEFAULT_TOKEN_DAYS = 90;
export const MAX_TOKEN_DAYS = 365;

export class CreateTokenDto {
  @ApiProperty({ description: 'what the token is for, e.g. "CI evaluations of the fraud model"' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  @Matches(SINGLE_LINE, { message: 'name must be a single line of text' })
  name: string;

  @ApiProperty({
    enum: PERMISSIONS,
    isArray: true,
    description: "each one held by the creator's role; never account:self, users:*, tokens:* or the -all breadths",
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(PERMISSIONS.length)
  @ArrayUnique()
  @IsIn(PERMISSIONS, { each: true })
  permissions: Permission[];

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    description: 'only these AI systems (each one the creator sees); every system the creator sees when left out',
  })
  @OptionalNotNull()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  systemIds?: string[];

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_TOKEN_DAYS, default: DEFAULT_TOKEN_DAYS })
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(MAX_TOKEN_DAYS, { message: `expiresInDays must be at most ${MAX_TOKEN_DAYS} (one year)` })
  expiresInDays?: number;
}

export type TokenStatus = 'active' | 'expired' | 'revoked';

/** A token as lists show it: never the secret nor its hash. */
export class TokenResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: PERMISSIONS, isArray: true }) permissions: Permission[];
  @ApiProperty({ type: [String], nullable: true, description: 'null: every system the creator sees' })
  systemIds: string[] | null;
  @ApiProperty({ format: 'uuid', description: 'the creator, as whom the token acts' }) userId: string;
  @ApiProperty({ enum: ['active', 'expired', 'revoked'] }) status: TokenStatus;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
  @ApiProperty({ format: 'date-time', nullable: true }) revokedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, description: 'recorded at most once a minute' })
  lastUsedAt: string | null;
  @ApiProperty({ nullable: true, description: 'the client address of that use' }) lastUsedFrom: string | null;
}

export class CreatedTokenResponseDto extends TokenResponseDto {
  @ApiProperty({ description: 'wbt_...: shown this once, stored only as its SHA-256; send as Authorization: Bearer' })
  token: string;
}
