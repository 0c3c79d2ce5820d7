import { ApiProperty } from '@nestjs/swagger';
import { PACK_STATUSES } from '../entities/evidence-pack.entity';

export class EvidencePackRequestedResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['queued'], description: 'poll GET /api/v1/packs/:id until ready or failed' }) status: string;
}

export class EvidencePackResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: PACK_STATUSES }) status: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) systemId: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) auditId: string | null;
  @ApiProperty({ type: [String] }) frameworks: string[];
  @ApiProperty({ format: 'date-time', description: 'the instant the pack describes' }) asOf: string;
  @ApiProperty({ format: 'date-time' }) requestedAt: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) startedAt: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) finishedAt: string | null;
  @ApiProperty() attempts: number;
  @ApiProperty({ type: String, nullable: true }) error: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'SHA-256 of the PDF (hex) once ready' })
  pdfSha256: string | null;
  @ApiProperty({ type: Number, nullable: true }) pageCount: number | null;
  @ApiProperty({ type: Number, nullable: true }) renderMs: number | null;
}

export class EvidencePackListResponseDto {
  @ApiProperty({ type: [EvidencePackResponseDto] }) items: EvidencePackResponseDto[];
}
