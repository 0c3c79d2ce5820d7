import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export class AuditLogQueryDto {
  @IsOptional() @IsString() @MaxLength(48) entityType?: string;
  @IsOptional() @IsString() @MaxLength(120) entityId?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) beforeSeq?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
}

export class CheckpointDto {
  @IsInt() @Min(0) seq: number;
  @Matches(/^[0-9a-f]{64}$/) hash: string;
  @IsISO8601({ strict: true }) at: string;
  @IsOptional() @IsIn(['HMAC-SHA256']) algorithm?: string;
  @Matches(/^[0-9a-f]{64}$/) signature: string;
}
