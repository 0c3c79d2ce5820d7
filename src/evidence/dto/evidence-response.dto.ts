import { ApiProperty } from '@nestjs/swagger';
import { EVIDENCE_KINDS, EvidenceProvenance, RED_TEAM_OUTCOMES, REVIEW_STATUSES } from '../entities/evidence.entity';
import { EvidenceProvenanceDto } from './provenance.dto';

/** A review decision the signed-in user is offered on the item, as EvidenceService.reviewMoves judges it. */
class EvidenceReviewMoveDto {
  @ApiProperty({ enum: ['accepted', 'rejected'] }) decision: 'accepted' | 'rejected';
  @ApiProperty({ description: 'whether the signed-in user may take this decision now' }) allowed: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'why not; null when allowed' }) refusal: string | null;
}

export class EvidenceResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) systemId: string;
  @ApiProperty({ type: [String] }) controlCodes: string[];
  @ApiProperty({ type: [String] }) requirementRefs: string[];
  @ApiProperty({ enum: EVIDENCE_KINDS }) kind: string;
  @ApiProperty() title: string;
  @ApiProperty({ description: 'SHA-256 of the stored file (hex)' }) sha256: string;
  @ApiProperty() sizeBytes: number;
  @ApiProperty() mediaType: string;
  @ApiProperty() fileName: string;
  @ApiProperty({ format: 'date-time' }) collectedAt: string;
  @ApiProperty({ format: 'date-time' }) uploadedAt: string;
  @ApiProperty() uploadedBy: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) validUntil: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'where a valid-until the uploader did not give came from, e.g. "policy: evaluation evidence 90 days" (policies/evidence-kinds/kinds.yaml) or "policy: AIG-EVL-03 reviewed quarterly, 91 days"; null when the uploader gave it or none applies',
  })
  validUntilBasis: string | null;
  @ApiProperty() modelVersion: string;
  @ApiProperty({ enum: REVIEW_STATUSES }) reviewStatus: string;
  @ApiProperty({ type: String, nullable: true }) reviewedBy: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) reviewedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) reviewComment: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) supersedesId: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) supersededById: string | null;
  @ApiProperty({ type: [String], description: 'MITRE ATLAS techniques a red-team report covers' })
  atlasTechniqueIds: string[];
  @ApiProperty({ enum: RED_TEAM_OUTCOMES, nullable: true }) redTeamOutcome: string | null;
  @ApiProperty({
    type: EvidenceProvenanceDto,
    nullable: true,
    description: 'the pipeline run it came from, as sent (only the fields given); null when not said',
  })
  provenance: EvidenceProvenance | null;
  @ApiProperty() stale: boolean;
  @ApiProperty({ type: String, nullable: true }) staleReason: string | null;
  @ApiProperty({ description: 'not superseded, not rejected and not stale' }) current: boolean;
  @ApiProperty({
    type: [EvidenceReviewMoveDto],
    description: 'the review decisions other than the current status, each allowed or refused for the signed-in user',
  })
  allowedMoves: EvidenceReviewMoveDto[];
}
