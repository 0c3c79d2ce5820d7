import { StateMachine } from '../common/state-machine';
import { PackStatus } from './entities/evidence-pack.entity';

/**
 * A pack job's lifecycle. rendering -> queued is the recovery of a job whose instance stopped renewing its claim;
 * ready and failed are final (a new pack is requested instead).
 */
export const PACK_STATE_MACHINE = new StateMachine<PackStatus>('evidence pack', {
  queued: ['rendering'],
  rendering: ['ready', 'failed', 'queued'],
  ready: [],
  failed: [],
});
