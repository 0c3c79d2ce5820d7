import type { RecordedEvent } from './event-types';

/**
 * The events of each feature, built here so that a service records one with one line inside its transaction
 * (`await this.events.record(tx, taskAssigned(task, actor.id))`): the payload carries titles, not only ids.
 */
interface TaskFacts {
  id: string;
  systemId: string;
  title: string;
  assigneeUserId: string | null;
  dueDate: string | null;
  priority: string;
  controlCode: string | null;
}

export function taskAssigned(task: TaskFacts, actor: string): RecordedEvent {
  return {
    type: 'task.assigned',
    entityType: 'task',
    entityId: task.id,
    systemId: task.systemId,
    payload: {
      title: task.title,
      assigneeUserId: task.assigneeUserId,
      dueDate: task.dueDate,
      priority: task.priority,
      controlCode: task.controlCode,
    },
    actor,
    notify: { userIds: [task.assigneeUserId] },
  };
}

/** Work submitted for verification: the holders of tasks:verify hear of it (the submitter never verifies it). */
export function taskReadyForReview(task: TaskFacts, actor: string, evidenceIds: string[]): RecordedEvent {
  return {
    type: 'task.ready_for_review',
    entityType: 'task',
    entityId: task.id,
    systemId: task.systemId,
    payload: { title: task.title, controlCode: task.controlCode, evidenceIds },
    actor,
    notify: { permission: 'tasks:verify' },
  };
}

interface EvidenceFacts {
  id: string;
  systemId: string;
  title: string;
  uploadedBy: string;
  validUntil: string | null;
}

export function evidenceRejected(evidence: EvidenceFacts, comment: string | null, actor: string): RecordedEvent {
  return {
    type: 'evidence.rejected',
    entityType: 'evidence',
    entityId: evidence.id,
    systemId: evidence.systemId,
    payload: { title: evidence.title, comment, uploadedBy: evidence.uploadedBy },
    actor,
    notify: { userIds: [evidence.uploadedBy] },
  };
}

/**
 * Accepted evidence that expires soon, found by the sweep when it opens the refresh task: the uploader and the
 * owners of its controls hear of it, once per evidence and expiry date.
 */
export function evidenceExpiring(
  evidence: EvidenceFacts,
  refreshTaskId: string,
  controlOwnerIds: (string | null)[],
  actor: string,
): RecordedEvent {
  return {
    type: 'evidence.expiring',
    entityType: 'evidence',
    entityId: evidence.id,
    systemId: evidence.systemId,
    payload: { title: evidence.title, validUntil: evidence.validUntil, refreshTaskId },
    actor,
    notify: { userIds: [evidence.uploadedBy, ...controlOwnerIds] },
    dedupeKey: `evidence.expiring:${evidence.id}:${evidence.validUntil ?? ''}`,
  };
}

interface PackFacts {
  id: string;
  systemId: string | null;
  auditId: string | null;
  requestedBy: string;
  pageCount?: number | null;
}

export function packReady(pack: PackFacts, title: string, actor: string): RecordedEvent {
  return {
    type: 'pack.ready',
    entityType: 'evidence_pack',
    entityId: pack.id,
    systemId: pack.systemId,
    payload: { title, auditId: pack.auditId, pageCount: pack.pageCount ?? null, requestedBy: pack.requestedBy },
    actor,
    notify: { userIds: [pack.requestedBy] },
  };
}

interface IncidentFacts {
  id: string;
  title: string;
  severity: string;
  becameAwareAt: string;
}

/** A recorded incident; the holders of incidents:write hear of it (the clocks run from awareness). */
export function incidentOpened(incident: IncidentFacts, systemIds: string[], actor: string): RecordedEvent {
  return {
    type: 'incident.opened',
    entityType: 'incident',
    entityId: incident.id,
    systemId: systemIds[0] ?? null,
    payload: {
      title: incident.title,
      severity: incident.severity,
      becameAwareAt: incident.becameAwareAt,
      systemIds,
    },
    actor,
    notify: { permission: 'incidents:write' },
  };
}

interface ObligationFacts {
  id: string;
  incidentId: string;
  title: string;
  legalBasis: string;
  recipient: string;
  dueAt: string | null;
}

/** An incident obligation coming due with no notification recorded; once per obligation and due time. */
export function obligationDue(
  obligation: ObligationFacts,
  incident: { title: string; systemId: string | null },
  actor: string,
): RecordedEvent {
  return {
    type: 'obligation.due',
    entityType: 'incident_obligation',
    entityId: obligation.id,
    systemId: incident.systemId,
    payload: {
      title: `${obligation.title} (${incident.title})`,
      incidentId: obligation.incidentId,
      legalBasis: obligation.legalBasis,
      recipient: obligation.recipient,
      dueAt: obligation.dueAt,
    },
    actor,
    notify: { permission: 'incidents:write' },
    dedupeKey: `obligation.due:${obligation.id}:${obligation.dueAt ?? ''}`,
  };
}
