import type { Permission } from '../common/auth.decorators';

/** What the product tells the outside (webhooks) and its users (notifications) happened. */
export const EVENT_TYPES = [
  'task.assigned',
  'task.ready_for_review',
  'evidence.rejected',
  'evidence.expiring',
  'pack.ready',
  'incident.opened',
  'obligation.due',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export type EventEntityType = 'task' | 'evidence' | 'evidence_pack' | 'incident' | 'incident_obligation';

/** Who hears of an event in the app: named users and the holders of a permission; the actor never hears of their own act. */
export interface EventAudience {
  userIds?: (string | null | undefined)[];
  permission?: Permission;
}

/** One event as a service records it, inside the transaction of the change it reports. */
export interface RecordedEvent {
  type: EventType;
  entityType: EventEntityType;
  entityId: string;
  systemId: string | null;
  /** A title to show (never only an id) and the facts a receiver needs; small, sent as the webhook's `data`. */
  payload: { title: string } & Record<string, unknown>;
  /** The user whose act this is (a user id), or a system actor such as "task-sweep". */
  actor: string;
  notify?: EventAudience;
  /** When set, the event is recorded once per key (a sweep that runs again does not repeat it). */
  dedupeKey?: string;
}

/** The sentence a notification shows, in words a user reads (the record's title, not its id). */
export function notificationText(type: EventType, payload: RecordedEvent['payload']): string {
  const title = payload.title;
  switch (type) {
    case 'task.assigned':
      return `Task assigned to you: ${title}`;
    case 'task.ready_for_review':
      return `Ready for your review: ${title}`;
    case 'evidence.rejected':
      return `Evidence rejected: ${title}${typeof payload.comment === 'string' && payload.comment ? ` (${payload.comment})` : ''}`;
    case 'evidence.expiring':
      return `Evidence expiring${typeof payload.validUntil === 'string' ? ` on ${payload.validUntil.slice(0, 10)}` : ''}: ${title}`;
    case 'pack.ready':
      return `Evidence pack ready: ${title}`;
    case 'incident.opened':
      return `Incident opened: ${title}`;
    case 'obligation.due':
      return `Notification due${typeof payload.dueAt === 'string' ? ` by ${payload.dueAt.slice(0, 16).replace('T', ' ')} UTC` : ''}: ${title}`;
  }
}

/** The web page of the record an event is about, for the notification's link. */
export function recordLink(event: Pick<RecordedEvent, 'entityType' | 'entityId' | 'systemId' | 'payload'>): string {
  const { entityId, payload } = event;
  switch (event.entityType) {
    case 'task':
      return `/tasks/${entityId}`;
    case 'evidence':
      return event.systemId ? `/systems/${event.systemId}` : '/';
    case 'evidence_pack':
      return `/packs/${entityId}`;
    case 'incident':
      return `/incidents/${entityId}`;
    case 'incident_obligation':
      return typeof payload.incidentId === 'string' ? `/incidents/${payload.incidentId}` : '/incidents';
  }
}
