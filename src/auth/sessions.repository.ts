import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, Not } from 'typeorm';
import { Tx } from '../database/transaction-runner';
import { Role, UserEntity } from '../users/entities/user.entity';
import { SessionEntity } from './entities/session.entity';

/** A session with the user it signs in, read in one query. */
export interface SessionWithUser {
  sessionId: string;
  csrfToken: string;
  expiresAt: string;
  revokedAt: string | null;
  userId: string;
  email: string;
  displayName: string;
  role: Role;
  disabled: boolean | number;
  mustChangePassword: boolean | number;
  userCreatedAt: string;
}

@Injectable()
export class SessionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findByTokenHash(tokenHash: string): Promise<SessionEntity | null> {
    return this.dataSource.getRepository(SessionEntity).findOneBy({ tokenHash });
  }

  /** The session and its user in one SELECT (a join): what every authenticated request reads (issue 18.3). */
  async findWithUser(tokenHash: string): Promise<SessionWithUser | null> {
    const row = await this.dataSource
      .getRepository(SessionEntity)
      .createQueryBuilder('s')
      .innerJoin(UserEntity, 'u', 'u.id = s.userId')
      .select('s.id', 'sessionId')
      .addSelect('s.csrfToken', 'csrfToken')
      .addSelect('s.expiresAt', 'expiresAt')
      .addSelect('s.revokedAt', 'revokedAt')
      .addSelect('u.id', 'userId')
      .addSelect('u.email', 'email')
      .addSelect('u.displayName', 'displayName')
      .addSelect('u.role', 'role')
      .addSelect('u.disabled', 'disabled')
      .addSelect('u.mustChangePassword', 'mustChangePassword')
      .addSelect('u.createdAt', 'userCreatedAt')
      .where('s.tokenHash = :tokenHash', { tokenHash })
      .getRawOne<SessionWithUser>();
    return row ?? null;
  }

  async insert(tx: Tx, session: SessionEntity): Promise<void> {
    await tx.getRepository(SessionEntity).insert(session);
  }

  async revoke(tx: Tx, id: string, at: string): Promise<void> {
    await tx.getRepository(SessionEntity).update({ id, revokedAt: IsNull() }, { revokedAt: at });
  }

  async revokeOthersForUser(tx: Tx, userId: string, keepSessionId: string, at: string): Promise<void> {
    await tx
      .getRepository(SessionEntity)
      .update({ userId, id: Not(keepSessionId), revokedAt: IsNull() }, { revokedAt: at });
  }

  async revokeAllForUser(tx: Tx, userId: string, at: string): Promise<void> {
    await tx.getRepository(SessionEntity).update({ userId, revokedAt: IsNull() }, { revokedAt: at });
  }
}
