import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';
import { MAX_PAGE_SIZE, MAX_QUERY_INTEGER, QueryInteger, SINGLE_LINE } from '../../common/validation';

export class AuditLogQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(48)
  @Matches(SINGLE_LINE, { message: 'entityType must be a single line of text' })
  entityType?: string;
  @IsOptional()
  @IsString()
  @MaxLength(120)
  @Matches(SINGLE_LINE, { message: 'entityId must be a single line of text' })
  entityId?: string;
  @QueryInteger(1, MAX_QUERY_INTEGER, 'entries with a lower seq only (the next page of a walk)') beforeSeq?: number;
  @QueryInteger(1, MAX_PAGE_SIZE, 'page size (default 100)') limit?: number;
}

export class CheckpointDto {
  @IsInt() @Min(0) seq: number;
  @Matches(/^[0-9a-f]{64}$/) hash: string;
  @IsISO8601({ strict: true }) at: string;
  @IsOptional() @IsIn(['HMAC-SHA256']) algorithm?: string;
  @Matches(/^[0-9a-f]{64}$/) signature: string;
}
