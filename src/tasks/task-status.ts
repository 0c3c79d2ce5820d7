import { StateMachine } from '../common/state-machine';
import { TaskStatus } from './entities/task.entity';

/** DESIGN's task lifecycle; who may make which move is decided in TasksService. */
export const taskStatusMachine = new StateMachine<TaskStatus>('task', {
  open: ['in_progress'],
  in_progress: ['ready_for_review'],
  ready_for_review: ['done', 'reopened'],
  reopened: ['in_progress'],
  done: [],
});
