import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/domain-errors';
import { ENTITIES } from '../database/entities';
import { TaskEntity, TaskStatus } from './entities/task.entity';
import { TasksRepository } from './tasks.repository';

/**
 * The task lifecycle as the repository primitive enforces it (declared move, compare-and-set on the status read), on
 * an in-memory SQLite database: one case per reason a move succeeds or is refused.
 */
describe('task status moves through TasksRepository.moveStatus', () => {
  let dataSource: DataSource;
  let tasks: TasksRepository;

  beforeAll(async () => {
    dataSource = new DataSource({ type: 'sqlite', database: ':memory:', entities: ENTITIES, synchronize: true });
    await dataSource.initialize();
    tasks = new TasksRepository(dataSource);
    // The task's system row is beside the point here.
    await dataSource.query('PRAGMA foreign_keys = OFF');
  });
  afterAll(() => dataSource.destroy());

  async function taskIn(status: TaskStatus): Promise<string> {
    const id = randomUUID();
    await dataSource.manager.getRepository(TaskEntity).insert(
      Object.assign(new TaskEntity(), {
        id,
        systemId: 'sys-1',
        controlCode: null,
        kind: 'review',
        title: 't',
        description: '',
        assigneeRole: 'engineer',
        assigneeUserId: null,
        dueDate: null,
        priority: 'medium',
        status,
        openSourceKey: null,
        createdBy: 'u',
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:00.000Z',
      }),
    );
    return id;
  }

  const move = (id: string, from: TaskStatus, to: TaskStatus) =>
    dataSource.transaction((tx) => tasks.moveStatus(tx, id, from, to, { updatedAt: '2026-01-02T00:00:00.000Z' }));
  const statusOf = async (id: string) => (await tasks.findById(id))?.status;
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: unknown) => error,
    );

  it.each<[TaskStatus, TaskStatus]>([
    ['open', 'in_progress'],
    ['in_progress', 'ready_for_review'],
    ['ready_for_review', 'done'],
    ['ready_for_review', 'reopened'],
    ['reopened', 'in_progress'],
  ])('moves a task from %s to %s and stores the change with it', async (from, to) => {
    const id = await taskIn(from);
    await move(id, from, to);
    expect(await tasks.findById(id)).toMatchObject({ status: to, updatedAt: '2026-01-02T00:00:00.000Z' });
  });

  it('refuses a skipped step with a 409 naming the allowed moves, and leaves the row as it was', async () => {
    const id = await taskIn('open');
    const error = await refusal(move(id, 'open', 'ready_for_review'));
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      kind: 'conflict',
      message: expect.stringMatching(/allowed from open: in_progress/),
      details: { from: 'open', to: 'ready_for_review', allowed: ['in_progress'] },
    });
    expect(await statusOf(id)).toBe('open');
  });

  it('refuses any move out of done (a finished task is not reopened; a new one is opened)', async () => {
    const id = await taskIn('done');
    expect(await refusal(move(id, 'done', 'reopened'))).toMatchObject({
      kind: 'conflict',
      message: expect.stringMatching(/allowed from done: none/),
    });
    expect(await statusOf(id)).toBe('done');
  });

  it('refuses a move decided on a status the row no longer holds (the other writer won)', async () => {
    const id = await taskIn('open');
    await move(id, 'open', 'in_progress');
    expect(await refusal(move(id, 'open', 'in_progress'))).toMatchObject({
      kind: 'conflict',
      message: expect.stringMatching(/changed meanwhile \(it is no longer open\)/),
    });
    expect(await statusOf(id)).toBe('in_progress');
  });
});
