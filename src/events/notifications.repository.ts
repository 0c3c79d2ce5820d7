import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { Tx } from '../database/transaction-runner';
import { UserNotificationEntity } from './entities/user-notification.entity';

@Injectable()
export class NotificationsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Newest first; unread first among the same instant does not matter, the page shows both. */
  findForUser(userId: string, limit: number, unreadOnly: boolean): Promise<UserNotificationEntity[]> {
    return this.dataSource.getRepository(UserNotificationEntity).find({
      where: unreadOnly ? { userId, readAt: IsNull() } : { userId },
      order: { createdAt: 'DESC', id: 'ASC' },
      take: limit,
    });
  }

  countUnread(userId: string): Promise<number> {
    return this.dataSource.getRepository(UserNotificationEntity).countBy({ userId, readAt: IsNull() });
  }

  /** Only the owner's own notification; false when it is not theirs (or does not exist). Already read stays read. */
  async markRead(tx: Tx, userId: string, id: string, at: string): Promise<boolean> {
    const repo = tx.getRepository(UserNotificationEntity);
    if (!(await repo.existsBy({ id, userId }))) return false;
    await repo.update({ id, userId, readAt: IsNull() }, { readAt: at });
    return true;
  }

  async markAllRead(tx: Tx, userId: string, at: string): Promise<number> {
    const result = await tx.getRepository(UserNotificationEntity).update({ userId, readAt: IsNull() }, { readAt: at });
    return result.affected ?? 0;
  }
}
