import { ApiProperty } from '@nestjs/swagger';
import { OBLIGATION_STATUSES } from '../obligations.service';

// Response shapes of GET /api/v1/systems/:id/obligations for OpenAPI; the service returns plain objects of these shapes.

class ObligationRuleDto {
  @ApiProperty({ description: 'Rule id in policies/ai-act-obligations.yaml (or applicability.yaml for the scope)' })
  id: string;
  @ApiProperty() reason: string;
  @ApiProperty({ description: 'The provision the rule rests on' }) basis: string;
  @ApiProperty({ type: String, nullable: true, description: 'The provision that moves the date, e.g. Art. 113(c)' })
  dateBasis: string | null;
  @ApiProperty({ type: [String], description: 'Unanswered facts the rule was taken to hold on' }) assumed: string[];
}

class ObligationRequirementDto {
  @ApiProperty({ example: 'Art. 9(2)(a)' }) ref: string;
  @ApiProperty() title: string;
  @ApiProperty({ example: '2026-08-02' }) appliesFrom: string;
  @ApiProperty() appliesToday: boolean;
}

class ObligationControlDto {
  @ApiProperty() code: string;
  @ApiProperty() title: string;
  @ApiProperty({ description: 'Implementation status for this system (not_started when none is recorded)' })
  status: string;
}

class ObligationDto {
  @ApiProperty({ example: 'Art. 9' }) article: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: ['duty', 'prohibition'] }) kind: string;
  @ApiProperty({
    example: '2026-08-02',
    description: 'The earliest date one of its provisions applies to this system from',
  })
  appliesFrom: string;
  @ApiProperty() appliesToday: boolean;
  @ApiProperty({ type: ObligationRuleDto, description: 'The rule that produced it (with the earliest date)' })
  rule: ObligationRuleDto;
  @ApiProperty({ type: [String], description: 'Other rules that bring in the same article' }) alsoRequiredBy: string[];
  @ApiProperty({ type: [ObligationRequirementDto] }) requirements: ObligationRequirementDto[];
  @ApiProperty({ type: [ObligationControlDto], description: 'Controls with a sufficient path to its provisions' })
  controls: ObligationControlDto[];
  @ApiProperty({ enum: OBLIGATION_STATUSES }) status: string;
}

export class SystemObligationsResponseDto {
  @ApiProperty({ format: 'uuid' }) systemId: string;
  @ApiProperty({ description: 'Whether the AI Act reaches the system (Art. 2(1))' }) aiActApplies: boolean;
  @ApiProperty({ type: [ObligationRuleDto], description: 'The applicability rules that brought the AI Act in' })
  scope: ObligationRuleDto[];
  @ApiProperty() riskTier: string;
  @ApiProperty() riskTierReason: string;
  @ApiProperty({ type: String, nullable: true }) aiActRole: string | null;
  @ApiProperty({ type: String, nullable: true }) gpaiModel: string | null;
  @ApiProperty({ example: '2026-12-01', description: 'The day appliesToday is judged on (UTC)' }) today: string;
  @ApiProperty({ type: [ObligationDto] }) obligations: ObligationDto[];
}
