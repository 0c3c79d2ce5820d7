import { DateTime } from 'luxon';
import type { AiSystemEntity } from '../ai-systems/entities/ai-system.entity';
import type {
  IncidentEntity,
  IncidentEventEntity,
  IncidentNotificationEntity,
  IncidentObligationEntity,
} from './entities/incident.entity';
import { ObligationChange, ObligationState, obligationState } from './incident-obligations';
import { incidentStatusMachine } from './incident-status';

const DAY_MS = 86_400_000;

/** "2026-03-13 11:00 Europe/Berlin": an instant as the organisation reads it (WORKBENCH_TIME_ZONE). */
export function displayTime(at: string | null, timeZone: string): string | null {
  if (!at) return null;
  return `${DateTime.fromISO(at, { zone: 'utc' }).setZone(timeZone).toFormat('yyyy-MM-dd HH:mm')} ${timeZone}`;
}

export interface ObligationView {
  id: string;
  key: string;
  ruleId: string;
  regime: string;
  legalBasis: string;
  title: string;
  recipient: string;
  state: ObligationState;
  required: boolean;
  notRequiredReason: string | null;
  dueAt: string | null;
  dueAtLocal: string | null;
  timing: string;
  counting: string;
  assumptions: string[];
  /** Milliseconds until the due time (negative once past); null without a fixed period or once met. */
  msUntilDue: number | null;
  /** Due within 24 hours, past due, or due with no fixed period: shown in red. */
  urgent: boolean;
  /** How it was met: on time, or late with the reason recorded on the notification. */
  met: 'on_time' | 'late' | null;
  notificationIds: string[];
}

export function toObligationView(
  o: IncidentObligationEntity,
  notifications: IncidentNotificationEntity[],
  now: string,
  timeZone: string,
): ObligationView {
  const mine = notifications.filter((n) => n.obligationId === o.id);
  const state = obligationState(o, mine.length > 0, now);
  const open = state === 'due' || state === 'late';
  const msUntilDue = open && o.dueAt ? Date.parse(o.dueAt) - Date.parse(now) : null;
  return {
    id: o.id,
    key: o.key,
    ruleId: o.ruleId,
    regime: o.regime,
    legalBasis: o.legalBasis,
    title: o.title,
    recipient: o.recipient,
    state,
    required: o.required,
    notRequiredReason: o.notRequiredReason,
    dueAt: o.dueAt,
    dueAtLocal: displayTime(o.dueAt, timeZone),
    timing: o.timing,
    counting: o.counting,
    assumptions: o.assumptions,
    msUntilDue,
    urgent: open && (msUntilDue === null || msUntilDue < DAY_MS),
    met: mine.length === 0 ? null : mine[0].late ? 'late' : 'on_time',
    notificationIds: mine.map((n) => n.id),
  };
}

export function toNotificationView(
  n: IncidentNotificationEntity,
  obligations: IncidentObligationEntity[],
  timeZone: string,
) {
  const obligation = obligations.find((o) => o.id === n.obligationId);
  return {
    id: n.id,
    obligationId: n.obligationId,
    obligationKey: obligation?.key ?? null,
    legalBasis: obligation?.legalBasis ?? null,
    recipient: n.recipient,
    sentAt: n.sentAt,
    sentAtLocal: displayTime(n.sentAt, timeZone),
    channel: n.channel,
    reference: n.reference,
    sender: n.sender,
    evidenceId: n.evidenceId,
    late: n.late,
    lateReason: n.lateReason,
    recordedBy: n.recordedBy,
    recordedAt: n.recordedAt,
  };
}

/** The obligation that falls due first among those still open, for lists and dashboards. */
export function nextDue(obligations: ObligationView[]): ObligationView | null {
  const open = obligations.filter((o) => o.state === 'due' || o.state === 'late');
  if (open.length === 0) return null;
  return [...open].sort((a, b) => (a.dueAt ?? '').localeCompare(b.dueAt ?? ''))[0];
}

export function toIncidentSummary(
  incident: IncidentEntity,
  systems: AiSystemEntity[],
  obligations: ObligationView[],
  timeZone: string,
) {
  const counts: Record<ObligationState, number> = { due: 0, done: 0, late: 0, not_required: 0 };
  for (const o of obligations) counts[o.state]++;
  return {
    id: incident.id,
    title: incident.title,
    status: incident.status,
    severity: incident.severity,
    categories: incident.categories,
    systems: systems.map((s) => ({ id: s.id, name: s.name })),
    detectedAt: incident.detectedAt,
    becameAwareAt: incident.becameAwareAt,
    becameAwareAtLocal: displayTime(incident.becameAwareAt, timeZone),
    obligationCounts: counts,
    nextDue: nextDue(obligations),
  };
}

export function toIncidentView(
  incident: IncidentEntity,
  parts: {
    systems: AiSystemEntity[];
    evidenceIds: string[];
    obligations: ObligationView[];
    notifications: ReturnType<typeof toNotificationView>[];
    events: IncidentEventEntity[];
    timeZone: string;
    pendingObligationChanges: ObligationChange[];
  },
) {
  const { timeZone } = parts;
  return {
    ...toIncidentSummary(incident, parts.systems, parts.obligations, timeZone),
    description: incident.description,
    detectedAtLocal: displayTime(incident.detectedAt, timeZone),
    reporter: incident.reporter,
    allowedMoves: [...incidentStatusMachine.allowedFrom(incident.status)],
    aiActKind: incident.aiActKind,
    aiActDeath: incident.aiActDeath,
    aiActRole: incident.aiActRole,
    gdprRisk: incident.gdprRisk,
    affectedCount: incident.affectedCount,
    affectedByState: incident.affectedByState,
    atlasTechniques: incident.atlasTechniques,
    evidenceIds: parts.evidenceIds,
    review: incident.reviewSummary
      ? {
          summary: incident.reviewSummary,
          controlsChanged: incident.reviewControlsChanged ?? [],
          reviewedBy: incident.reviewedBy,
          reviewedAt: incident.reviewedAt,
        }
      : null,
    containedAt: incident.containedAt,
    resolvedAt: incident.resolvedAt,
    closedAt: incident.closedAt,
    createdAt: incident.createdAt,
    updatedAt: incident.updatedAt,
    revision: incident.revision,
    timeZone,
    obligations: parts.obligations,
    /** What recomputing now would change (the systems' answers changed since the last write); empty when current. */
    pendingObligationChanges: parts.pendingObligationChanges,
    notifications: parts.notifications,
    timeline: parts.events.map((e) => ({
      at: e.at,
      atLocal: displayTime(e.at, timeZone),
      actor: e.actor,
      kind: e.kind,
      summary: e.summary,
    })),
  };
}

export type IncidentView = ReturnType<typeof toIncidentView>;
