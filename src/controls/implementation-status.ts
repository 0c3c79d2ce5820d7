import { StateMachine } from '../common/state-machine';
import { ImplementationStatus } from './entities/control-implementation.entity';

export const implementationStatusMachine = new StateMachine<ImplementationStatus>('control implementation', {
  not_started: ['in_progress', 'implemented', 'not_applicable'],
  in_progress: ['implemented', 'not_started', 'not_applicable'],
  implemented: ['in_progress', 'not_applicable'],
  not_applicable: ['not_started', 'in_progress'],
});
