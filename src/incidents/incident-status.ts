import { StateMachine } from '../common/state-machine';
import { IncidentStatus } from './entities/incident.entity';

/** DESIGN's incident lifecycle; an incident is never deleted, and closed is final. */
export const incidentStatusMachine = new StateMachine<IncidentStatus>('incident', {
  open: ['contained'],
  contained: ['resolved'],
  resolved: ['closed'],
  closed: [],
});

/** The timestamp column each move sets, for the timeline. */
export const STATUS_TIMESTAMP: Record<Exclude<IncidentStatus, 'open'>, 'containedAt' | 'resolvedAt' | 'closedAt'> = {
  contained: 'containedAt',
  resolved: 'resolvedAt',
  closed: 'closedAt',
};
