import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { Tx } from '../database/transaction-runner';
import { EvidencePackEntity, PackStatus } from './entities/evidence-pack.entity';

export interface PackListFilter {
  systemId?: string;
  auditId?: string;
  /** Auditor scoping: only packs of these audits or these systems; null means every pack. */
  visible: { auditIds: string[]; systemIds: string[] } | null;
  limit: number;
}

/** The pack rows double as the job queue: every status change is a conditional update on the expected status. */
@Injectable()
export class EvidencePacksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findById(id: string, tx?: Tx): Promise<EvidencePackEntity | null> {
    return (tx ?? this.dataSource.manager).getRepository(EvidencePackEntity).findOneBy({ id });
  }

  findPage(filter: PackListFilter): Promise<EvidencePackEntity[]> {
    const query = this.dataSource.getRepository(EvidencePackEntity).createQueryBuilder('p').orderBy('p.requestedAt', 'DESC').take(filter.limit);
    if (filter.systemId) query.andWhere('p.systemId = :systemId', { systemId: filter.systemId });
    if (filter.auditId) query.andWhere('p.auditId = :auditId', { auditId: filter.auditId });
    if (filter.visible) {
      const auditIds = filter.visible.auditIds.length ? filter.visible.auditIds : ['-'];
      const systemIds = filter.visible.systemIds.length ? filter.visible.systemIds : ['-'];
      query.andWhere('(p.auditId IN (:...auditIds) OR p.systemId IN (:...systemIds))', { auditIds, systemIds });
    }
    return query.getMany();
  }

  countActive(tx: Tx): Promise<number> {
    return tx.getRepository(EvidencePackEntity).count({ where: { status: In(['queued', 'rendering'] satisfies PackStatus[]) } });
  }

  async insert(tx: Tx, pack: EvidencePackEntity): Promise<void> {
    await tx.getRepository(EvidencePackEntity).insert(pack);
  }

  /**
   * Claims the oldest queued pack for one worker, or returns null. PostgreSQL: the row is locked with SKIP LOCKED so
   * concurrent instances each take a different pack; SQLite: the write queue serialises claims and the conditional
   * update is the guard.
   */
  async claimOldestQueued(tx: Tx, claimedBy: string, at: string): Promise<EvidencePackEntity | null> {
    const query = tx
      .getRepository(EvidencePackEntity)
      .createQueryBuilder('p')
      .where('p.status = :status', { status: 'queued' })
      .orderBy('p.requestedAt', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .limit(1);
    if (tx.connection.options.type === 'postgres') query.setLock('pessimistic_write').setOnLocked('skip_locked');
    const next = await query.getOne();
    if (!next) return null;
    const claimed = await this.moveStatus(tx, next.id, 'queued', {
      status: 'rendering',
      claimedBy,
      startedAt: at,
      attempts: next.attempts + 1,
    });
    return claimed ? { ...next, status: 'rendering', claimedBy, startedAt: at, attempts: next.attempts + 1 } : null;
  }

  /** Rendering jobs started before `startedBefore`: their instance is presumed dead. */
  findStuckRendering(tx: Tx, startedBefore: string): Promise<EvidencePackEntity[]> {
    return tx
      .getRepository(EvidencePackEntity)
      .createQueryBuilder('p')
      .where('p.status = :status', { status: 'rendering' })
      .andWhere('p.startedAt < :startedBefore', { startedBefore })
      .getMany();
  }

  /** Applies the change only while the row still has the expected status (and claimant); false when it had moved on. */
  async moveStatus(tx: Tx, id: string, from: PackStatus, changes: Partial<EvidencePackEntity>, claimedBy?: string): Promise<boolean> {
    const query = tx
      .createQueryBuilder()
      .update(EvidencePackEntity)
      .set(changes)
      .where('id = :id', { id })
      .andWhere('status = :from', { from });
    if (claimedBy) query.andWhere('claimedBy = :claimedBy', { claimedBy });
    const result = await query.execute();
    return (result.affected ?? 0) > 0;
  }
}
