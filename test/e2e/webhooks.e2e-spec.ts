import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { TransactionRunner } from '../../src/database/transaction-runner';
import { DomainEventEntity } from '../../src/events/entities/domain-event.entity';
import { UserNotificationEntity } from '../../src/events/entities/user-notification.entity';
import { WebhookDeliveryEntity } from '../../src/events/entities/webhook.entity';
import { taskAssigned } from '../../src/events/domain-events';
import { EventsService } from '../../src/events/events.service';
import { WebhookDispatcher } from '../../src/events/webhook-dispatcher.service';
import { WEBHOOK_SENDER } from '../../src/events/webhook-sender';
import { WebhooksRepository } from '../../src/events/webhooks.repository';
import { AuditLogService } from '../../src/audit-log/audit-log.service';
import { systemClock } from '../../src/common/time';
import { verifySignature } from '../../src/events/webhook-signature';
import { minimalSystem } from '../factories/systems';
import { bearer, startTestApp, TestApp } from '../factories/test-app';
import { waitFor } from '../factories/wait-for';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  answered: number;
}

/** A webhook receiver on 127.0.0.1: answers each request with the next planned status (200 once the plan is used up). */
class Receiver {
  readonly received: Received[] = [];
  private plan: number[] = [];
  private server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answered = this.plan.shift() ?? 200;
      this.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), answered });
      res.writeHead(answered).end();
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  answerNext(...statuses: number[]): void {
    this.plan.push(...statuses);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('webhooks (e2e)', () => {
  let t: TestApp;
  let receiver: Receiver;
  let url: string;
  let systemId: string;
  beforeAll(async () => {
    t = await startTestApp({
      env: {
        WORKBENCH_WEBHOOK_ALLOW_PRIVATE: 'true',
        WORKBENCH_WEBHOOK_RETRY_BASE_MS: '1',
        WORKBENCH_WEBHOOK_MAX_ATTEMPTS: '3',
      },
    });
    receiver = new Receiver();
    url = await receiver.start();
    systemId = (await t.http().post('/api/v1/systems').set(bearer(t.users.governance_specialist)).send(minimalSystem()))
      .body.id;
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  const admin = () => bearer(t.users.admin);
  const dispatch = () => t.app.get(WebhookDispatcher).dispatchDue();
  const createTask = (title: string, assigneeUserId?: string) =>
    t
      .http()
      .post('/api/v1/tasks')
      .set(bearer(t.users.governance_specialist))
      .send({ systemId, kind: 'review', title, assigneeRole: 'engineer', assigneeUserId })
      .expect(201);
  const deliveries = async (id: string) =>
    (await t.http().get(`/api/v1/webhooks/${id}/deliveries`).set(admin()).expect(200)).body.items as Array<{
      id: string;
      status: string;
      attempts: number;
      entityKey: string;
      attemptLog: { statusCode: number | null }[];
    }>;

  const auditOf = async (id: string) =>
    JSON.stringify(
      (await t.http().get(`/api/v1/audit-log?entityType=webhook&entityId=${id}`).set(admin()).expect(200)).body,
    );

  let hookId: string;
  let secret: string;

  it('registers a webhook for an admin, shows the generated secret once and audits it without the secret', async () => {
    await t
      .http()
      .post('/api/v1/webhooks')
      .set(bearer(t.users.governance_specialist))
      .send({ url, events: ['task.assigned'] })
      .expect(403);
    const created = await t
      .http()
      .post('/api/v1/webhooks')
      .set(admin())
      .send({ url, events: ['task.assigned'], description: 'CI receiver' })
      .expect(201);
    hookId = created.body.id;
    secret = created.body.secret;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const list = await t.http().get('/api/v1/webhooks').set(admin()).expect(200);
    expect(list.body.items).toEqual([expect.objectContaining({ id: hookId, url, events: ['task.assigned'] })]);
    expect(JSON.stringify(list.body)).not.toContain(secret);
    const log = await auditOf(hookId);
    expect(log).toContain('webhook.create');
    expect(log).not.toContain(secret);
    const entries = JSON.parse(log) as { action: string; payload: string }[];
    expect(JSON.parse(entries[0].payload)).toMatchObject({ secret: 'generated', url });
  });

  it('signs each delivery, retries after a 500 and records every attempt', async () => {
    receiver.answerNext(500);
    const task = (await createTask('Review the model card', t.users.engineer.id)).body;
    expect(await dispatch()).toBe(1);
    expect(receiver.received).toHaveLength(1);
    const [first] = await deliveries(hookId);
    expect(first).toMatchObject({ status: 'pending', attempts: 1, attemptLog: [{ statusCode: 500 }] });
    // The retry base is 1 ms here: the delivery is due again at once, so the dispatcher is driven until it lands.
    await waitFor(async () => (await dispatch()) > 0 && receiver.received.length === 2, { what: 'the retry' });
    const [done] = await deliveries(hookId);
    expect(done).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(done.attemptLog.map((a) => a.statusCode)).toEqual([500, 200]);
    for (const got of receiver.received) {
      expect(got.headers['workbench-event']).toBe('task.assigned');
      expect(got.headers['workbench-delivery']).toBe(done.id);
      expect(verifySignature(secret, got.body, String(got.headers['workbench-signature']), Date.now() / 1000)).toBe(
        true,
      );
      expect(
        verifySignature(
          'another-secret-of-at-least-32-bytes!',
          got.body,
          String(got.headers['workbench-signature']),
          Date.now() / 1000,
        ),
      ).toBe(false);
    }
    expect(JSON.parse(receiver.received[1].body)).toMatchObject({
      type: 'task.assigned',
      entity: { type: 'task', id: task.id },
      systemId,
      data: { title: 'Review the model card', assigneeUserId: t.users.engineer.id },
    });
  });

  it('keeps the events of one entity in order: a later one waits while an earlier one is retried', async () => {
    receiver.received.length = 0;
    const engineer2 = await t.user('engineer', 'engineer-two');
    const task = (await createTask('Refresh the bias evaluation', t.users.engineer.id)).body;
    await t
      .http()
      .patch(`/api/v1/tasks/${task.id}`)
      .set(bearer(t.users.governance_specialist))
      .send({
        assigneeUserId: engineer2.id,
      })
      .expect(200);
    const other = (await createTask('An unrelated task', t.users.engineer.id)).body;
    receiver.answerNext(500);
    // First pass: the earlier event of the task (answered 500) and the other task's event; not the reassignment.
    expect(await dispatch()).toBe(2);
    const sent = () =>
      receiver.received.map((r) => JSON.parse(r.body) as { entity: { id: string }; data: { assigneeUserId: string } });
    expect(
      sent()
        .map((b) => b.entity.id)
        .sort(),
    ).toEqual([task.id, other.id].sort());
    const pending = (await deliveries(hookId)).filter((d) => d.entityKey === `task:${task.id}`);
    expect(pending.map((d) => d.attempts).sort()).toEqual([0, 1]);
    await waitFor(
      async () => {
        await dispatch();
        return receiver.received.length === 4;
      },
      { what: 'the retried and the waiting deliveries' },
    );
    const ofTask = sent()
      .filter((b) => b.entity.id === task.id)
      .map((b) => b.data.assigneeUserId);
    expect(ofTask).toEqual([t.users.engineer.id, t.users.engineer.id, engineer2.id]);
  });

  it('sends each delivery once when two dispatchers (as on two instances) run at the same time', async () => {
    receiver.received.length = 0;
    for (let i = 0; i < 6; i++) await createTask(`Parallel task ${i}`, t.users.engineer.id);
    const other = new WebhookDispatcher(
      t.app.get(WebhooksRepository),
      t.app.get(TransactionRunner),
      t.app.get(AuditLogService),
      t.app.get(WEBHOOK_SENDER),
      t.config,
      systemClock,
    );
    const [a, b] = await Promise.all([dispatch(), other.dispatchDue()]);
    expect(a + b).toBe(6);
    const ids = receiver.received.map((r) => String(r.headers['workbench-delivery']));
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
  });

  it('writes events in the transaction of the change: a rolled-back change leaves no event, delivery or notification', async () => {
    const data = t.app.get(DataSource);
    const counts = async () => [
      await data.getRepository(DomainEventEntity).count(),
      await data.getRepository(WebhookDeliveryEntity).count(),
      await data.getRepository(UserNotificationEntity).count(),
    ];
    const before = await counts();
    const fact = {
      id: '00000000-0000-4000-8000-000000000001',
      systemId,
      title: 'Never committed',
      assigneeUserId: t.users.engineer.id,
      dueDate: null,
      priority: 'low',
      controlCode: null,
    };
    await expect(
      t.app.get(TransactionRunner).run(async (tx) => {
        expect(await t.app.get(EventsService).record(tx, taskAssigned(fact, t.users.admin.id))).toBe(true);
        throw new Error('the change failed after its event was recorded');
      }),
    ).rejects.toThrow('the change failed');
    expect(await counts()).toEqual(before);
    // A refused change through the API (unknown assignee) records nothing either.
    await t
      .http()
      .post('/api/v1/tasks')
      .set(bearer(t.users.governance_specialist))
      .send({ systemId, kind: 'review', title: 'Bad', assigneeRole: 'engineer', assigneeUserId: t.users.auditor.id })
      .expect(400);
    expect(await counts()).toEqual(before);
  });

  it('gives a delivery up as failed after the last attempt, audited', async () => {
    receiver.received.length = 0;
    receiver.answerNext(500, 503, 500);
    const task = (await createTask('Never accepted by the receiver', t.users.engineer.id)).body;
    await waitFor(
      async () => {
        await dispatch();
        return (await deliveries(hookId)).find((d) => d.entityKey === `task:${task.id}` && d.status === 'failed');
      },
      { what: 'the delivery to be given up' },
    );
    const [failed] = (await deliveries(hookId)).filter((d) => d.entityKey === `task:${task.id}`);
    expect(failed.attempts).toBe(3);
    expect(failed.attemptLog.map((a) => a.statusCode)).toEqual([500, 503, 500]);
    expect(receiver.received).toHaveLength(3);
    expect(await dispatch()).toBe(0);
    expect(await auditOf(hookId)).toContain('webhook.delivery.fail');
  });

  it('deletes a webhook: audited, pending deliveries cancelled, then 404', async () => {
    await createTask('Queued but never sent', t.users.engineer.id);
    const deleted = await t.http().delete(`/api/v1/webhooks/${hookId}`).set(admin()).expect(200);
    expect(deleted.body).toEqual({ id: hookId, cancelledDeliveries: 1 });
    expect(await dispatch()).toBe(0);
    await t.http().delete(`/api/v1/webhooks/${hookId}`).set(admin()).expect(404);
    await t.http().get(`/api/v1/webhooks/${hookId}/deliveries`).set(admin()).expect(404);
    expect(await auditOf(hookId)).toContain('webhook.delete');
  });
});

describe('webhook targets without WORKBENCH_WEBHOOK_ALLOW_PRIVATE (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it.each([
    ['http://127.0.0.1:8080/hook', 'url is refused'],
    ['http://localhost/hook', 'url is refused'],
    ['http://[::1]/hook', 'url is refused'],
    ['http://169.254.169.254/latest/meta-data', 'url is refused'],
    ['http://10.1.2.3/hook', 'url is refused'],
    ['http://[fd00::1]/hook', 'url is refused'],
    ['ftp://example.com/hook', 'url must use http or https'],
    ['not a url', 'url must be an absolute http or https URL'],
  ])('refuses %s with a 400 naming the url and stores nothing', async (target, message) => {
    const res = await t
      .http()
      .post('/api/v1/webhooks')
      .set(bearer(t.users.admin))
      .send({ url: target, events: ['pack.ready'] })
      .expect(400);
    expect(res.body.message).toContain(message);
    expect((await t.http().get('/api/v1/webhooks').set(bearer(t.users.admin)).expect(200)).body.items).toEqual([]);
  });

  it('refuses a given secret shorter than 32 bytes and an unknown event type', async () => {
    const short = await t
      .http()
      .post('/api/v1/webhooks')
      .set(bearer(t.users.admin))
      .send({ url: 'https://hooks.example.com/x', events: ['pack.ready'], secret: 'too-short' })
      .expect(400);
    expect(short.body.message).toContain('secret must be at least 32 bytes');
    const unknown = await t
      .http()
      .post('/api/v1/webhooks')
      .set(bearer(t.users.admin))
      .send({ url: 'https://hooks.example.com/x', events: ['task.deleted'] })
      .expect(400);
    expect(JSON.stringify(unknown.body)).toContain('events must be among');
    expect((await t.http().get('/api/v1/webhooks').set(bearer(t.users.admin)).expect(200)).body.items).toEqual([]);
  });
});
