import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, MoreThan } from 'typeorm';
import { Tx } from '../database/transaction-runner';
import { AuditLogEntryEntity, AuditLogHeadEntity } from './entities/audit-log-entry.entity';

/** Appends and reads; there is deliberately no method that updates or deletes an entry. */
@Injectable()
export class AuditLogRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Reads the head under a row lock (PostgreSQL), so concurrent appends from any instance queue behind it. */
  async lockHead(tx: Tx): Promise<AuditLogHeadEntity> {
    const query = tx.getRepository(AuditLogHeadEntity).createQueryBuilder('head').where('head.id = 1');
    if (tx.connection.options.type === 'postgres') query.setLock('pessimistic_write');
    const head = await query.getOne();
    if (!head) throw new Error('audit_log_head row is missing; the initial migration creates it');
    return head;
  }

  async insert(tx: Tx, entry: AuditLogEntryEntity): Promise<void> {
    await tx.getRepository(AuditLogEntryEntity).insert(entry);
    await tx.getRepository(AuditLogHeadEntity).update({ id: 1 }, { seq: entry.seq, hash: entry.hash });
  }

  findHead(): Promise<AuditLogHeadEntity | null> {
    return this.dataSource.getRepository(AuditLogHeadEntity).findOneBy({ id: 1 });
  }

  findBatchAfter(seq: number, limit: number): Promise<AuditLogEntryEntity[]> {
    return this.dataSource.getRepository(AuditLogEntryEntity).find({ where: { seq: MoreThan(seq) }, order: { seq: 'ASC' }, take: limit });
  }

  findBySeq(seq: number): Promise<AuditLogEntryEntity | null> {
    return this.dataSource.getRepository(AuditLogEntryEntity).findOneBy({ seq });
  }

  findPage(filter: { entityType?: string; entityId?: string; beforeSeq?: number }, limit: number): Promise<AuditLogEntryEntity[]> {
    const query = this.dataSource.getRepository(AuditLogEntryEntity).createQueryBuilder('e').orderBy('e.seq', 'DESC').take(limit);
    if (filter.entityType) query.andWhere('e.entityType = :entityType', { entityType: filter.entityType });
    if (filter.entityId) query.andWhere('e.entityId = :entityId', { entityId: filter.entityId });
    if (filter.beforeSeq) query.andWhere('e.seq < :beforeSeq', { beforeSeq: filter.beforeSeq });
    return query.getMany();
  }

  async countEntries(): Promise<number> {
    return this.dataSource.getRepository(AuditLogEntryEntity).count();
  }
}
