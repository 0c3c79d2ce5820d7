import { ApiProperty } from '@nestjs/swagger';

export class AuditLogEntryResponseDto {
  @ApiProperty() seq: number;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty() actor: string;
  @ApiProperty({ example: 'ai_system.update' }) action: string;
  @ApiProperty() entityType: string;
  @ApiProperty() entityId: string;
  @ApiProperty({ description: 'the JSON payload of the entry' }) payload: string;
  @ApiProperty({ description: 'SHA-256 of the payload (hex)' }) payloadHash: string;
  @ApiProperty({ description: 'the previous entry’s hash' }) prevHash: string;
  @ApiProperty({ description: 'the entry’s chained hash (hex), covering prevHash' }) hash: string;
}

export class ChainVerificationResponseDto {
  @ApiProperty() valid: boolean;
  @ApiProperty({ description: 'entries walked' }) entries: number;
  @ApiProperty() headSeq: number;
  @ApiProperty() headHash: string;
  @ApiProperty({ type: Number, nullable: true, description: 'the first entry that does not verify' })
  firstBadSeq: number | null;
  @ApiProperty({ type: String, nullable: true }) problem: string | null;
  @ApiProperty({ format: 'date-time' }) checkedAt: string;
}

export class SignedCheckpointResponseDto {
  @ApiProperty() seq: number;
  @ApiProperty() hash: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ enum: ['HMAC-SHA256'] }) algorithm: 'HMAC-SHA256';
  @ApiProperty() signature: string;
}

export class CheckpointVerificationResponseDto {
  @ApiProperty() valid: boolean;
  @ApiProperty({ type: String, nullable: true }) problem: string | null;
}
