import { taskStatusMachine } from './task-status';

describe('task status machine', () => {
  it('follows DESIGN: open -> in_progress -> ready_for_review -> done, and back through reopened', () => {
    expect(taskStatusMachine.allowedFrom('open')).toEqual(['in_progress']);
    expect(taskStatusMachine.allowedFrom('ready_for_review')).toEqual(['done', 'reopened']);
    expect(taskStatusMachine.allowedFrom('reopened')).toEqual(['in_progress']);
    expect(taskStatusMachine.allowedFrom('done')).toEqual([]);
  });

  it('refuses a skipped step with the allowed moves named', () => {
    expect(() => taskStatusMachine.assertMove('open', 'ready_for_review')).toThrow(/allowed from open: in_progress/);
  });
});
