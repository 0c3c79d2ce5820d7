import { Injectable } from '@nestjs/common';
import { Actor } from '../common/auth.decorators';
import { DomainError } from '../common/domain-errors';
import { NotificationsService } from '../events/notifications.service';
import { WebLayout } from './web-layout.service';
import { WebOutcome } from './web-outcome';

const KIND_LABELS: Record<string, string> = {
  'task.assigned': 'Task assigned',
  'task.ready_for_review': 'Ready for review',
  'evidence.rejected': 'Evidence rejected',
  'evidence.expiring': 'Evidence expiring',
  'pack.ready': 'Pack ready',
  'incident.opened': 'Incident opened',
  'obligation.due': 'Notification due',
};

/** The notifications page: a view of NotificationsService, the same one GET /api/v1/notifications uses. */
@Injectable()
export class WebNotificationsService {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly layout: WebLayout,
  ) {}

  async page(actor: Actor) {
    const { items, unread } = await this.notifications.list(actor);
    return this.layout.page(actor, 'Notifications', {
      unread,
      notifications: items.map((n) => ({ ...n, kindLabel: KIND_LABELS[n.type] ?? n.type, unread: n.readAt === null })),
    });
  }

  async markRead(actor: Actor, id: string): Promise<WebOutcome> {
    try {
      await this.notifications.markRead(actor, id);
      return { redirect: '/notifications', flash: { kind: 'ok', text: 'Marked as read.' } };
    } catch (error) {
      if (error instanceof DomainError)
        return { redirect: '/notifications', flash: { kind: 'error', text: error.message } };
      throw error;
    }
  }

  async markAllRead(actor: Actor): Promise<WebOutcome> {
    const { marked } = await this.notifications.markAllRead(actor);
    return {
      redirect: '/notifications',
      flash: {
        kind: 'ok',
        text: marked === 1 ? '1 notification marked as read.' : `${marked} notifications marked as read.`,
      },
    };
  }
}
