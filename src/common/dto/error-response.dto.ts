import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ERROR_CODES } from '../domain-errors';

/** The body of every error answer (DomainErrorFilter); `code` is stable, `message` is for people. */
export class ErrorResponseDto {
  @ApiProperty({ example: 403 }) statusCode: number;
  @ApiProperty({ enum: ERROR_CODES, description: 'stable machine-readable code (docs/api.md lists them)' })
  code: string;
  @ApiProperty({ example: 'Forbidden', description: 'the HTTP reason phrase' }) error: string;
  @ApiProperty() message: string;
  @ApiPropertyOptional({ description: 'structured detail, e.g. the allowed targets of a refused transition' })
  details?: unknown;
  @ApiPropertyOptional() requestId?: string;
}
