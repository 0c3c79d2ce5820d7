import { Role } from '../users/entities/user.entity';
import { backoffMs, webhookBody } from './webhook-dispatcher.service';
import { DomainEventEntity } from './entities/domain-event.entity';
import { notificationText, recordLink } from './event-types';
import { EventsRepository } from './events.repository';
import { EventsService } from './events.service';
import { RolePermissionsProvider } from '../common/role-permissions.provider';
import { taskAssigned, taskReadyForReview } from './domain-events';
import type { Tx } from '../database/transaction-runner';

const NOW = new Date('2026-12-01T10:00:00.000Z');
const TX = {} as Tx;
const TASK = {
  id: 't1',
  systemId: 's1',
  title: 'Review the model card',
  assigneeUserId: 'u-eng',
  dueDate: null,
  priority: 'high',
  controlCode: 'AIG-GOV-01',
};

function setUp(users: Record<string, Role>) {
  const inserted = { events: [] as unknown[], deliveries: [] as unknown[], notifications: [] as { userId: string }[] };
  const repo = {
    hasDedupeKey: jest.fn(() => Promise.resolve(false)),
    insertEvent: jest.fn((_tx: Tx, e: unknown) => {
      inserted.events.push(e);
      return Promise.resolve(inserted.events.length);
    }),
    findSubscribers: jest.fn(() => Promise.resolve([{ id: 'w1', events: ['task.assigned'] }])),
    insertDeliveries: jest.fn((_tx: Tx, d: unknown[]) => {
      inserted.deliveries.push(...d);
      return Promise.resolve();
    }),
    findActiveUserIds: jest.fn((_tx: Tx, ids: string[], roles: Role[]) =>
      Promise.resolve(Object.keys(users).filter((id) => ids.includes(id) || roles.includes(users[id]))),
    ),
    insertNotifications: jest.fn((_tx: Tx, n: { userId: string }[]) => {
      inserted.notifications.push(...n);
      return Promise.resolve();
    }),
  };
  const permissions = {
    allows: (role: Role, p: string) => p === 'tasks:verify' && role !== 'engineer' && role !== 'auditor',
  };
  const service = new EventsService(
    repo as unknown as EventsRepository,
    permissions as unknown as RolePermissionsProvider,
    { now: () => NOW },
  );
  return { service, repo, inserted };
}

describe('EventsService', () => {
  it('records the event, a pending delivery per subscribed webhook and a notification for the assignee', async () => {
    const { service, inserted } = setUp({ 'u-eng': 'engineer', 'u-spec': 'governance_specialist' });
    expect(await service.record(TX, taskAssigned(TASK, 'u-spec'))).toBe(true);
    expect(inserted.events).toEqual([
      expect.objectContaining({ type: 'task.assigned', entityId: 't1', createdAt: NOW.toISOString() }),
    ]);
    expect(inserted.deliveries).toEqual([
      expect.objectContaining({
        webhookId: 'w1',
        eventSeq: 1,
        status: 'pending',
        entityKey: 'task:t1',
        nextAttemptAt: NOW.toISOString(),
      }),
    ]);
    expect(inserted.notifications).toEqual([
      expect.objectContaining({
        userId: 'u-eng',
        text: 'Task assigned to you: Review the model card',
        link: '/tasks/t1',
      }),
    ]);
  });

  it('tells the holders of a permission, never the actor of the change', async () => {
    const { service, inserted } = setUp({ 'u-eng': 'engineer', 'u-spec': 'governance_specialist', 'u-admin': 'admin' });
    await service.record(TX, taskReadyForReview(TASK, 'u-spec', []));
    expect(inserted.notifications.map((n) => n.userId)).toEqual(['u-admin']);
    const self = setUp({ 'u-eng': 'engineer' });
    await self.service.record(TX, taskAssigned(TASK, 'u-eng'));
    expect(self.inserted.notifications).toEqual([]);
  });

  it('records an event with a dedupe key once', async () => {
    const { service, repo, inserted } = setUp({});
    repo.hasDedupeKey.mockResolvedValueOnce(true);
    expect(await service.record(TX, { ...taskAssigned(TASK, 'x'), dedupeKey: 'k' })).toBe(false);
    expect(inserted.events).toEqual([]);
  });
});

describe('event wording and delivery timing', () => {
  it('words each notification with the record title and links to its page', () => {
    expect(notificationText('evidence.rejected', { title: 'DPIA', comment: 'unsigned' })).toBe(
      'Evidence rejected: DPIA (unsigned)',
    );
    expect(notificationText('evidence.expiring', { title: 'DPIA', validUntil: '2026-12-11T00:00:00.000Z' })).toBe(
      'Evidence expiring on 2026-12-11: DPIA',
    );
    expect(
      notificationText('obligation.due', { title: 'Notify the authority', dueAt: '2026-12-02T04:17:00.000Z' }),
    ).toBe('Notification due by 2026-12-02 04:17 UTC: Notify the authority');
    expect(notificationText('pack.ready', { title: 'Chatbot: evidence pack' })).toBe(
      'Evidence pack ready: Chatbot: evidence pack',
    );
    expect(recordLink({ entityType: 'evidence', entityId: 'e1', systemId: 's1', payload: { title: '' } })).toBe(
      '/systems/s1',
    );
    expect(recordLink({ entityType: 'evidence_pack', entityId: 'p1', systemId: null, payload: { title: '' } })).toBe(
      '/packs/p1',
    );
    expect(
      recordLink({
        entityType: 'incident_obligation',
        entityId: 'o1',
        systemId: null,
        payload: { title: '', incidentId: 'i1' },
      }),
    ).toBe('/incidents/i1');
  });

  it('backs off exponentially from the base, at most 6 hours', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 30_000))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(backoffMs(10, 30_000)).toBe(15_360_000);
    expect(backoffMs(11, 30_000)).toBe(6 * 3_600_000);
  });

  it('sends the event as JSON with its type, entity, system and data', () => {
    const event = Object.assign(new DomainEventEntity(), {
      seq: 3,
      id: 'e3',
      type: 'pack.ready',
      entityType: 'evidence_pack',
      entityId: 'p1',
      systemId: 's1',
      payload: { title: 'Pack' },
      actor: 'system:pack-worker',
      dedupeKey: null,
      createdAt: NOW.toISOString(),
    });
    expect(JSON.parse(webhookBody(event))).toEqual({
      id: 'e3',
      type: 'pack.ready',
      createdAt: NOW.toISOString(),
      entity: { type: 'evidence_pack', id: 'p1' },
      systemId: 's1',
      data: { title: 'Pack' },
    });
  });
});
