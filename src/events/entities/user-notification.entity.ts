import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN } from '../../common/time';
import type { EventType } from '../event-types';

/** An event as one user hears of it in the app (the bell), until they mark it read. */
@Entity('user_notifications')
@Index('IDX_user_notifications_user', ['userId', 'readAt', 'createdAt'])
export class UserNotificationEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 36 })
  userId: string;

  @Column({ type: 'varchar', length: 36 })
  eventId: string;

  @Column({ type: 'varchar', length: 40 })
  type: EventType;

  @Column({ type: 'varchar', length: 500 })
  text: string;

  /** The web page of the record (a path of this app). */
  @Column({ type: 'varchar', length: 300 })
  link: string;

  @Column(TIMESTAMP_COLUMN)
  createdAt: string;

  @Column({ ...TIMESTAMP_COLUMN, nullable: true })
  readAt: string | null;
}
