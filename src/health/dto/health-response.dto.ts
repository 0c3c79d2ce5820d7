import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

class BrowserDetailsDto {
  @ApiProperty({ enum: ['up', 'down'] }) status: string;
  @ApiProperty({ enum: ['not_started', 'running', 'failed', 'missing', 'closed'] }) state: string;
  @ApiProperty({ type: String, nullable: true }) executable: string | null;
  @ApiPropertyOptional() version?: string;
  @ApiPropertyOptional() error?: string;
}

class HealthDetailsDto {
  @ApiProperty({ type: BrowserDetailsDto }) browser: BrowserDetailsDto;
}

export class HealthResponseDto {
  @ApiProperty({ enum: ['ok', 'down'], description: '503 when down' }) status: string;
  @ApiProperty({ enum: ['up', 'down'] }) database: string;
  @ApiProperty({ enum: ['up', 'down'], description: 'the last known state; a probe never launches Chromium' })
  browser: string;
  @ApiPropertyOptional({ type: HealthDetailsDto, description: 'only for callers holding health:details' })
  details?: HealthDetailsDto;
}
