import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IMPLEMENTATION_STATUSES } from '../entities/control-implementation.entity';
import { REQUIREMENT_DECISIONS } from '../entities/requirement-decision.entity';

export class ControlImplementationResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) systemId: string;
  @ApiProperty() controlCode: string;
  @ApiProperty({ enum: IMPLEMENTATION_STATUSES }) status: string;
  @ApiProperty() statement: string;
  @ApiProperty({ type: String, nullable: true, description: 'required for not_applicable' })
  justification: string | null;
  @ApiProperty({ description: 'the owning team or person, as text' }) owner: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'the named owner (four-eyes on tests)' })
  ownerUserId: string | null;
  @ApiProperty({ type: String, nullable: true }) ownerName: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) lastReviewedAt: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date' }) nextReviewDue: string | null;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ enum: IMPLEMENTATION_STATUSES, isArray: true, description: 'the moves from the current status' })
  allowedTransitions: readonly string[];
}

export class SystemControlResponseDto extends ControlImplementationResponseDto {
  @ApiProperty() title: string;
  @ApiProperty({ type: String, nullable: true }) domain: string | null;
  @ApiProperty({ type: String, nullable: true }) ownerRole: string | null;
  @ApiProperty({ type: [String] }) typicalEvidence: string[];
  @ApiProperty({ type: [String], description: 'framework keys the control maps to' }) frameworks: string[];
  @ApiProperty() evidenceCount: number;
  @ApiProperty() currentEvidenceCount: number;
  @ApiProperty() staleEvidenceCount: number;
  @ApiProperty() reviewOverdue: boolean;
}

const COVERAGE_RULES = [
  'outside-applicability',
  'organisational',
  'excluded',
  'hipaa-alternative-measure',
  'hipaa-not-reasonable-and-appropriate',
  'controls-not-applicable',
  'sufficient-control',
  'jointly-sufficient-set',
  'no-sufficient-path',
  'nothing-in-place',
];

class CoverageEvidenceDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty() sha256: string;
  @ApiProperty() reviewStatus: string;
  @ApiProperty() current: boolean;
  @ApiProperty({ type: String, nullable: true }) staleReason: string | null;
}

class CoverageControlDto {
  @ApiProperty() code: string;
  @ApiProperty() title: string;
  @ApiProperty() relationship: string;
  @ApiProperty() strength: number;
  @ApiProperty({ description: 'relationship and strength alone can cover the requirement' }) sufficient: boolean;
  @ApiProperty() status: string;
  @ApiProperty({ type: [CoverageEvidenceDto] }) evidence: CoverageEvidenceDto[];
}

class DecidingControlDto {
  @ApiProperty() code: string;
  @ApiProperty() relationship: string;
  @ApiProperty() strength: number;
  @ApiProperty() sufficient: boolean;
  @ApiProperty() status: string;
  @ApiProperty({ type: [String], description: 'ids of its current accepted evidence relevant to the requirement' })
  evidence: string[];
}

class JointSetDto {
  @ApiProperty({ type: [String] }) controls: string[];
  @ApiProperty() reason: string;
  @ApiProperty({ type: [String], description: 'members that do not hold' }) missing: string[];
}

class CoverageDecisionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: REQUIREMENT_DECISIONS }) decision: string;
  @ApiProperty() rationale: string;
  @ApiProperty() decidedBy: string;
  @ApiProperty({ format: 'date-time' }) decidedAt: string;
  @ApiProperty({ type: String, nullable: true, description: 'why the decision is ignored since a catalog change' })
  void: string | null;
}

class CoverageDecidedByDto {
  @ApiProperty({ enum: COVERAGE_RULES }) rule: string;
  @ApiProperty({ description: 'the strength a sufficient mapping needs' }) threshold: number;
  @ApiProperty({ type: [DecidingControlDto] }) controls: DecidingControlDto[];
  @ApiPropertyOptional({ type: JointSetDto }) jointSet?: JointSetDto;
  @ApiPropertyOptional({ type: CoverageDecisionDto }) decision?: CoverageDecisionDto;
}

class RequirementCoverageDto {
  @ApiProperty({ format: 'uuid' }) requirementId: string;
  @ApiProperty() ref: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: ['covered', 'partial', 'gap', 'not_applicable'] }) status: string;
  @ApiProperty() reason: string;
  @ApiProperty({ type: CoverageDecidedByDto }) decidedBy: CoverageDecidedByDto;
  @ApiProperty() applicabilityReason: string;
  @ApiProperty({ enum: ['required', 'addressable'], nullable: true, description: 'HIPAA Security Rule only' })
  hipaaImplementation: string | null;
  @ApiProperty({ type: [CoverageControlDto] }) controls: CoverageControlDto[];
}

class FrameworkCoverageDto {
  @ApiProperty() framework: string;
  @ApiProperty() name: string;
  @ApiProperty() applies: boolean;
  @ApiProperty() applicable: number;
  @ApiProperty() covered: number;
  @ApiProperty() partial: number;
  @ApiProperty() gap: number;
  @ApiProperty() notApplicable: number;
  @ApiProperty({ type: Number, nullable: true, description: 'null when nothing applies' }) percent: number | null;
  @ApiProperty({ type: [RequirementCoverageDto] }) requirements: RequirementCoverageDto[];
}

export class CoverageResponseDto {
  @ApiProperty({ format: 'uuid' }) systemId: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ type: [FrameworkCoverageDto] }) frameworks: FrameworkCoverageDto[];
}
