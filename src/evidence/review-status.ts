import { StateMachine } from '../common/state-machine';
import { ReviewStatus } from './entities/evidence.entity';

/** Evidence review: a rejection after acceptance withdraws it; a rejected item stays rejected (upload a new one). */
export const reviewStatusMachine = new StateMachine<ReviewStatus>('evidence review', {
  submitted: ['accepted', 'rejected'],
  accepted: ['rejected'],
  rejected: [],
});
