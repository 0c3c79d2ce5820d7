import { ApiProperty } from '@nestjs/swagger';
import { EvidenceResponseDto } from '../../evidence/dto/evidence-response.dto';

const STATUSES = ['covered', 'partial', 'gap', 'not_applicable'];

export class RequirementCoverageChangeDto {
  @ApiProperty() framework: string;
  @ApiProperty({ description: 'framework:ref, e.g. nist-ai-rmf:MEASURE 2.5' }) requirement: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: STATUSES }) before: string;
  @ApiProperty({ enum: STATUSES }) after: string;
  @ApiProperty({ description: "the coverage rule's reason for the new status" }) reason: string;
}

export class FrameworkCoverageChangeDto {
  @ApiProperty() framework: string;
  @ApiProperty({ type: Number, nullable: true }) percentBefore: number | null;
  @ApiProperty({ type: Number, nullable: true }) percentAfter: number | null;
  @ApiProperty() coveredBefore: number;
  @ApiProperty() coveredAfter: number;
}

export class CoverageChangesDto {
  @ApiProperty({ type: [FrameworkCoverageChangeDto], description: 'the frameworks in which some requirement moved' })
  frameworks: FrameworkCoverageChangeDto[];
  @ApiProperty({
    type: [RequirementCoverageChangeDto],
    description:
      'the requirements whose status the upload moved; empty when it moved none (submitted evidence counts only once accepted)',
  })
  requirements: RequirementCoverageChangeDto[];
}

/**
 * The evidence as stored, with what it changed: sha256 and sizeBytes as the server computed them (a pipeline checks
 * them against its own), the controls and requirements it was linked to, and the coverage changes it caused.
 */
export class EvidenceReceiptDto extends EvidenceResponseDto {
  @ApiProperty({ type: CoverageChangesDto }) coverageChanges: CoverageChangesDto;
  @ApiProperty({ type: String, nullable: true, description: 'the Idempotency-Key the push was sent with' })
  idempotencyKey: string | null;
  @ApiProperty({ description: 'true when this answers a repeated Idempotency-Key: the first receipt, nothing stored' })
  replayed: boolean;
}
