import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, LessThan, MoreThanOrEqual } from 'typeorm';
import { Tx } from '../database/transaction-runner';
import { IdempotencyKeyEntity } from './entities/idempotency-key.entity';

@Injectable()
export class IdempotencyKeysRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The caller's key if it was used at or after `since` (older keys are expired and may be used again). */
  findLive(callerScope: string, key: string, since: string): Promise<IdempotencyKeyEntity | null> {
    return this.dataSource
      .getRepository(IdempotencyKeyEntity)
      .findOneBy({ callerScope, key, createdAt: MoreThanOrEqual(since) });
  }

  /**
   * Claims the key in the upload's transaction; a concurrent claim of the same key fails on the unique index and
   * rolls its transaction back. Expired keys go first, so an expired key can be claimed anew.
   */
  async claim(tx: Tx, row: IdempotencyKeyEntity, expiredBefore: string): Promise<void> {
    const repository = tx.getRepository(IdempotencyKeyEntity);
    await repository.delete({ createdAt: LessThan(expiredBefore) });
    await repository.insert(row);
  }
}
