import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, Not } from 'typeorm';
import { Tx } from '../database/transaction-runner';
import { SessionEntity } from './entities/session.entity';

@Injectable()
export class SessionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findByTokenHash(tokenHash: string): Promise<SessionEntity | null> {
    return this.dataSource.getRepository(SessionEntity).findOneBy({ tokenHash });
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
