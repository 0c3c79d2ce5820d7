import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ValidateBy } from 'class-validator';
import { MAX_QUERY_INTEGER } from '../../common/validation';

export class AuditProofQueryDto {
  @ApiProperty({ type: Number, minimum: 1, description: 'seq of the audit-log entry to prove' })
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value,
  )
  @ValidateBy(
    {
      name: 'auditSeq',
      validator: {
        validate: (value: unknown) =>
          Number.isSafeInteger(value) && (value as number) >= 1 && (value as number) <= MAX_QUERY_INTEGER,
      },
    },
    { message: `seq must be an integer from 1 to ${MAX_QUERY_INTEGER}` },
  )
  seq: number;
}

export class CheckpointViewDto {
  @ApiProperty({ description: 'Entries 1..treeSize are in the tree' }) treeSize: number;
  @ApiProperty({ description: 'RFC 9162 Merkle root over the entry hashes, hex' }) rootHash: string;
  @ApiProperty({ description: 'When the checkpoint was signed' }) at: string;
  @ApiProperty({ example: 'Ed25519' }) algorithm: 'Ed25519';
  @ApiProperty({ description: 'Fingerprint of the signing key (GET /api/v1/signing-key)' }) keyFingerprint: string;
  @ApiProperty({ description: 'Ed25519 signature over signedText, base64' }) signature: string;
  @ApiProperty({ description: 'The exact bytes signed (UTF-8)' }) signedText: string;
}

export class InclusionProofDto {
  @ApiProperty() seq: number;
  @ApiProperty({ description: 'seq - 1' }) leafIndex: number;
  @ApiProperty({ description: "The entry's chain hash, hex" }) entryHash: string;
  @ApiProperty() treeSize: number;
  @ApiProperty({ type: [String], description: 'Sibling hashes from the leaf up (RFC 9162 2.1.3.1), hex' })
  proof: string[];
  @ApiProperty({ type: CheckpointViewDto }) checkpoint: CheckpointViewDto;
}
