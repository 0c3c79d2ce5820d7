import { ApiProperty } from '@nestjs/swagger';

export class ThreatControlDto {
  @ApiProperty() code: string;
  @ApiProperty() title: string;
  @ApiProperty({ description: 'control <relationship> mitigation (or OWASP risk)' }) relationship: string;
  @ApiProperty() strength: number;
  @ApiProperty({
    description: 'the mapping alone can cover the mitigation (sufficient relationship at the coverage threshold)',
  })
  sufficient: boolean;
  @ApiProperty({ description: "this system's implementation status of the control" }) status: string;
}

export class ThreatMitigationDto {
  @ApiProperty() framework: string;
  @ApiProperty({ example: 'AML.M0020' }) ref: string;
  @ApiProperty() title: string;
  @ApiProperty({ type: [ThreatControlDto] }) controls: ThreatControlDto[];
}

export class ThreatRuleDto {
  @ApiProperty({ description: 'the rule of policies/threats.yaml that made the threat relevant' }) id: string;
  @ApiProperty() reason: string;
}

export class RedTeamResultDto {
  @ApiProperty() evidenceId: string;
  @ApiProperty() title: string;
  @ApiProperty() collectedAt: string;
  @ApiProperty({ enum: ['pass', 'fail'] }) outcome: string;
  @ApiProperty({ enum: ['submitted', 'accepted'] }) reviewStatus: string;
}

export class ThreatEntryDto {
  @ApiProperty({ enum: ['mitre-atlas', 'owasp-llm-top10-2025'] }) framework: string;
  @ApiProperty({ example: 'AML.T0051' }) ref: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: ['technique', 'sub-technique', 'risk'] }) level: string;
  @ApiProperty({ type: [String], description: 'ATLAS tactic ids' }) tactics: string[];
  @ApiProperty({ type: [ThreatRuleDto] }) rules: ThreatRuleDto[];
  @ApiProperty({ type: [ThreatMitigationDto] }) mitigations: ThreatMitigationDto[];
  @ApiProperty({ enum: ['mitigated', 'partial', 'gap'] }) status: string;
  @ApiProperty() reason: string;
  @ApiProperty({
    type: RedTeamResultDto,
    nullable: true,
    description: 'the latest red_team_report naming the technique',
  })
  latestRedTeam: RedTeamResultDto | null;
}

export class ThreatFactsDto {
  @ApiProperty() modelKind: string;
  @ApiProperty() internetFacing: boolean;
  @ApiProperty() usesRag: boolean;
  @ApiProperty() agentTools: boolean;
  @ApiProperty() thirdParty: boolean;
}

export class ThreatSummaryDto {
  @ApiProperty() relevant: number;
  @ApiProperty() mitigated: number;
  @ApiProperty() partial: number;
  @ApiProperty() gap: number;
}

export class ThreatModelResponseDto {
  @ApiProperty() systemId: string;
  @ApiProperty() systemName: string;
  @ApiProperty({ type: ThreatFactsDto }) facts: ThreatFactsDto;
  @ApiProperty({ type: [ThreatEntryDto] }) threats: ThreatEntryDto[];
  @ApiProperty({ type: ThreatSummaryDto }) summary: ThreatSummaryDto;
}
