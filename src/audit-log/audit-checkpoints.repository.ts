import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Between, DataSource, LessThanOrEqual } from 'typeorm';
import { Tx } from '../database/transaction-runner';
import { AuditCheckpointEntity } from './entities/audit-checkpoint.entity';
import { AuditLogEntryEntity } from './entities/audit-log-entry.entity';

@Injectable()
export class AuditCheckpointsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findLatest(): Promise<AuditCheckpointEntity | null> {
    return this.dataSource.getRepository(AuditCheckpointEntity).findOne({ where: {}, order: { treeSize: 'DESC' } });
  }

  /** The largest checkpoint written at or before the instant. */
  findLatestAt(at: string): Promise<AuditCheckpointEntity | null> {
    return this.dataSource
      .getRepository(AuditCheckpointEntity)
      .findOne({ where: { at: LessThanOrEqual(at) }, order: { treeSize: 'DESC' } });
  }

  /** Another instance may have written the same tree size meanwhile: the same tree, so keeping theirs is right. */
  async insertUnlessPresent(tx: Tx, checkpoint: AuditCheckpointEntity): Promise<void> {
    await tx.getRepository(AuditCheckpointEntity).createQueryBuilder().insert().values(checkpoint).orIgnore().execute();
  }

  /** The entry hashes from..to (inclusive) in seq order. */
  async findHashes(from: number, to: number): Promise<{ seq: number; hash: string }[]> {
    return this.dataSource
      .getRepository(AuditLogEntryEntity)
      .find({ select: { seq: true, hash: true }, where: { seq: Between(from, to) }, order: { seq: 'ASC' } });
  }
}
