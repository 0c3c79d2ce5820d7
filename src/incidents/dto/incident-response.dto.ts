import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  AI_ACT_KINDS,
  GDPR_RISKS,
  INCIDENT_CATEGORIES,
  INCIDENT_SEVERITIES,
  INCIDENT_STATUSES,
  NOTIFICATION_CHANNELS,
} from '../entities/incident.entity';
import { REGIMES } from '../incident-rules';

const OBLIGATION_STATES = ['due', 'done', 'late', 'not_required'];

class NamedSystemDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

export class ObligationResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'rule id, with ":<State>" for a per-State obligation' }) key: string;
  @ApiProperty() ruleId: string;
  @ApiProperty({ enum: REGIMES }) regime: string;
  @ApiProperty({ description: 'the provision, e.g. "GDPR Art. 33(1)"' }) legalBasis: string;
  @ApiProperty() title: string;
  @ApiProperty() recipient: string;
  @ApiProperty({ enum: OBLIGATION_STATES }) state: string;
  @ApiProperty() required: boolean;
  @ApiProperty({ nullable: true, type: String }) notRequiredReason: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'UTC; null when the provision sets no fixed period' })
  dueAt: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'dueAt in WORKBENCH_TIME_ZONE' }) dueAtLocal: string | null;
  @ApiProperty() timing: string;
  @ApiProperty({ description: 'how the due time was counted' }) counting: string;
  @ApiProperty({ type: [String], description: 'unanswered facts assumed to call for the obligation' })
  assumptions: string[];
  @ApiProperty({ nullable: true, type: Number }) msUntilDue: number | null;
  @ApiProperty({ description: 'open and due within 24 h, past due, or with no fixed period' }) urgent: boolean;
  @ApiProperty({ nullable: true, enum: ['on_time', 'late'] }) met: string | null;
  @ApiProperty({ type: [String] }) notificationIds: string[];
}

export class NotificationResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) obligationId: string;
  @ApiProperty({ nullable: true, type: String }) obligationKey: string | null;
  @ApiProperty({ nullable: true, type: String }) legalBasis: string | null;
  @ApiProperty() recipient: string;
  @ApiProperty() sentAt: string;
  @ApiProperty({ nullable: true, type: String }) sentAtLocal: string | null;
  @ApiProperty({ enum: NOTIFICATION_CHANNELS }) channel: string;
  @ApiProperty() reference: string;
  @ApiProperty() sender: string;
  @ApiProperty({ nullable: true, type: String }) evidenceId: string | null;
  @ApiProperty() late: boolean;
  @ApiProperty({ nullable: true, type: String }) lateReason: string | null;
  @ApiProperty({ format: 'uuid' }) recordedBy: string;
  @ApiProperty() recordedAt: string;
}

export class RecordedNotificationResponseDto extends NotificationResponseDto {
  @ApiProperty({ type: ObligationResponseDto }) obligation: ObligationResponseDto;
}

class ObligationCountsDto {
  @ApiProperty() due: number;
  @ApiProperty() done: number;
  @ApiProperty() late: number;
  @ApiProperty() not_required: number;
}

export class IncidentSummaryResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: INCIDENT_STATUSES }) status: string;
  @ApiProperty({ enum: INCIDENT_SEVERITIES }) severity: string;
  @ApiProperty({ enum: INCIDENT_CATEGORIES, isArray: true }) categories: string[];
  @ApiProperty({ type: [NamedSystemDto] }) systems: NamedSystemDto[];
  @ApiProperty() detectedAt: string;
  @ApiProperty() becameAwareAt: string;
  @ApiProperty({ nullable: true, type: String }) becameAwareAtLocal: string | null;
  @ApiProperty({ type: ObligationCountsDto }) obligationCounts: ObligationCountsDto;
  @ApiProperty({ type: ObligationResponseDto, nullable: true, description: 'the open obligation that falls due first' })
  nextDue: ObligationResponseDto | null;
}

export class IncidentListResponseDto {
  @ApiProperty() total: number;
  @ApiProperty({ description: 'WORKBENCH_TIME_ZONE' }) timeZone: string;
  @ApiProperty({ type: [IncidentSummaryResponseDto] }) items: IncidentSummaryResponseDto[];
}

class PostIncidentReviewResponseDto {
  @ApiProperty() summary: string;
  @ApiProperty({ type: [String] }) controlsChanged: string[];
  @ApiProperty({ nullable: true, type: String }) reviewedBy: string | null;
  @ApiProperty({ nullable: true, type: String }) reviewedAt: string | null;
}

class TimelineEntryDto {
  @ApiProperty() at: string;
  @ApiProperty({ nullable: true, type: String }) atLocal: string | null;
  @ApiProperty() actor: string;
  @ApiProperty() kind: string;
  @ApiProperty() summary: string;
}

export class IncidentResponseDto extends IncidentSummaryResponseDto {
  @ApiProperty() description: string;
  @ApiProperty({ nullable: true, type: String }) detectedAtLocal: string | null;
  @ApiProperty() reporter: string;
  @ApiProperty({ enum: INCIDENT_STATUSES, isArray: true }) allowedMoves: string[];
  @ApiProperty({ enum: AI_ACT_KINDS, nullable: true }) aiActKind: string | null;
  @ApiProperty() aiActDeath: boolean;
  @ApiProperty({ nullable: true, type: String }) aiActRole: string | null;
  @ApiProperty({ enum: GDPR_RISKS, nullable: true }) gdprRisk: string | null;
  @ApiProperty({ nullable: true, type: Number }) affectedCount: number | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' } }) affectedByState: Record<string, number>;
  @ApiProperty({ type: [String] }) atlasTechniques: string[];
  @ApiProperty({ type: [String] }) evidenceIds: string[];
  @ApiProperty({ type: PostIncidentReviewResponseDto, nullable: true }) review: PostIncidentReviewResponseDto | null;
  @ApiProperty({ nullable: true, type: String }) containedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) resolvedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) closedAt: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
  @ApiProperty() revision: number;
  @ApiProperty() timeZone: string;
  @ApiProperty({ type: [ObligationResponseDto] }) obligations: ObligationResponseDto[];
  @ApiProperty({
    type: () => [ObligationChangeDto],
    description:
      "what a recompute would change now (PATCH {recompute: true}): the systems' answers changed since the last write",
  })
  pendingObligationChanges: ObligationChangeDto[];
  @ApiProperty({ type: [NotificationResponseDto] }) notifications: NotificationResponseDto[];
  @ApiProperty({ type: [TimelineEntryDto] }) timeline: TimelineEntryDto[];
}

class ObligationSnapshotDto {
  @ApiProperty() required: boolean;
  @ApiProperty({ nullable: true, type: String }) dueAt: string | null;
  @ApiProperty() legalBasis: string;
  @ApiPropertyOptional({ nullable: true, type: String }) notRequiredReason?: string | null;
}

class ObligationChangeDto {
  @ApiProperty() key: string;
  @ApiProperty() legalBasis: string;
  @ApiProperty({ enum: ['added', 'now_required', 'now_not_required', 'due_changed', 'basis_changed'] }) change: string;
  @ApiProperty({ type: ObligationSnapshotDto, nullable: true }) before: ObligationSnapshotDto | null;
  @ApiProperty({ type: ObligationSnapshotDto }) after: ObligationSnapshotDto;
}

export class IncidentChangeResponseDto extends IncidentResponseDto {
  @ApiProperty({ type: [ObligationChangeDto], description: 'what the write changed in the obligations' })
  obligationChanges: ObligationChangeDto[];
}
