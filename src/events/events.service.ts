import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { RolePermissionsProvider } from '../common/role-permissions.provider';
import { CLOCK, Clock, iso } from '../common/time';
import { Tx } from '../database/transaction-runner';
import { ROLES } from '../users/entities/user.entity';
import { UserNotificationEntity } from './entities/user-notification.entity';
import { WebhookDeliveryEntity } from './entities/webhook.entity';
import { notificationText, RecordedEvent, recordLink } from './event-types';
import { EventsRepository } from './events.repository';

/**
 * Records domain events in the transaction of the change they report (the outbox): the event row, one pending
 * delivery per subscribed webhook, and one notification per user who should hear of it. A change that rolls back
 * takes its event, deliveries and notifications with it; the dispatcher sends only what committed.
 */
@Injectable()
export class EventsService {
  constructor(
    private readonly events: EventsRepository,
    private readonly permissions: RolePermissionsProvider,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Records the event; false when an event with its dedupeKey was recorded before (nothing is written then). */
  async record(tx: Tx, event: RecordedEvent): Promise<boolean> {
    if (event.dedupeKey && (await this.events.hasDedupeKey(tx, event.dedupeKey))) return false;
    const now = iso(this.clock.now());
    const id = randomUUID();
    const seq = await this.events.insertEvent(tx, {
      id,
      type: event.type,
      entityType: event.entityType,
      entityId: event.entityId,
      systemId: event.systemId,
      payload: event.payload,
      actor: event.actor,
      dedupeKey: event.dedupeKey ?? null,
      createdAt: now,
    });
    const hooks = await this.events.findSubscribers(tx, event.type);
    await this.events.insertDeliveries(
      tx,
      hooks.map((hook) =>
        Object.assign(new WebhookDeliveryEntity(), {
          id: randomUUID(),
          webhookId: hook.id,
          eventSeq: seq,
          eventId: id,
          eventType: event.type,
          entityKey: `${event.entityType}:${event.entityId}`,
          status: 'pending',
          attempts: 0,
          nextAttemptAt: now,
          claimedBy: null,
          lastStatusCode: null,
          lastError: null,
          finishedAt: null,
          createdAt: now,
        }),
      ),
    );
    const recipients = await this.recipients(tx, event);
    const text = notificationText(event.type, event.payload).slice(0, 500);
    const link = recordLink(event);
    await this.events.insertNotifications(
      tx,
      recipients.map((userId) =>
        Object.assign(new UserNotificationEntity(), {
          id: randomUUID(),
          userId,
          eventId: id,
          type: event.type,
          text,
          link,
          createdAt: now,
          readAt: null,
        }),
      ),
    );
    return true;
  }

  private async recipients(tx: Tx, event: RecordedEvent): Promise<string[]> {
    const audience = event.notify;
    if (!audience) return [];
    const ids = (audience.userIds ?? []).filter((id): id is string => typeof id === 'string' && id !== '');
    const permission = audience.permission;
    const roles = permission ? ROLES.filter((role) => this.permissions.allows(role, permission)) : [];
    if (ids.length === 0 && roles.length === 0) return [];
    const users = await this.events.findActiveUserIds(tx, ids, roles);
    // Nobody is told of their own act.
    return users.filter((userId) => userId !== event.actor).sort();
  }
}
