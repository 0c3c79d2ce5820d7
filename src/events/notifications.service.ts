import { Inject, Injectable } from '@nestjs/common';
import { Actor } from '../common/auth.decorators';
import { notFound } from '../common/domain-errors';
import { CLOCK, Clock, iso } from '../common/time';
import { TransactionRunner } from '../database/transaction-runner';
import { NotificationListDto, NotificationsMarkedDto } from './dto/notification.dto';
import { NotificationsRepository } from './notifications.repository';

const PAGE = 100;

/**
 * A user's own notifications (the bell). Marking read is the reader's bookkeeping, not a change of any governed
 * record, so it writes no audit entry; the event behind each notification is in the outbox.
 */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly notifications: NotificationsRepository,
    private readonly tx: TransactionRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(actor: Actor, unreadOnly = false): Promise<NotificationListDto> {
    const [items, unread] = await Promise.all([
      this.notifications.findForUser(actor.id, PAGE, unreadOnly),
      this.notifications.countUnread(actor.id),
    ]);
    return {
      items: items.map((n) => ({
        id: n.id,
        type: n.type,
        text: n.text,
        link: n.link,
        createdAt: n.createdAt,
        readAt: n.readAt,
      })),
      unread,
    };
  }

  unreadCount(actor: Pick<Actor, 'id'>): Promise<number> {
    return this.notifications.countUnread(actor.id);
  }

  /** Someone else's notification is a 404, as one that does not exist. */
  async markRead(actor: Actor, id: string): Promise<NotificationsMarkedDto> {
    const at = iso(this.clock.now());
    const found = await this.tx.run((tx) => this.notifications.markRead(tx, actor.id, id, at));
    if (!found) throw notFound('Notification', id);
    return { marked: 1 };
  }

  async markAllRead(actor: Actor): Promise<NotificationsMarkedDto> {
    const at = iso(this.clock.now());
    return { marked: await this.tx.run((tx) => this.notifications.markAllRead(tx, actor.id, at)) };
  }
}
