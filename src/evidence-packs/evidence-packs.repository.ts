import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, FindOptionsWhere, In, IsNull } from 'typeorm';
import { compareAndSet, StatusColumn } from '../database/status-transition';
import { Tx } from '../database/transaction-runner';
import { EvidencePackEntity, PackStatus } from './entities/evidence-pack.entity';
import { PACK_STATE_MACHINE } from './pack-status';

const PACK_STATUS = new StatusColumn(EvidencePackEntity, PACK_STATE_MACHINE);

export interface PackListFilter {
  systemId?: string;
  auditId?: string;
  /** Auditor scoping: only packs of these audits or these systems; null means every pack. */
  visible: { auditIds: string[]; systemIds: string[] } | null;
  limit: number;
}

/** The pack rows double as the job queue: every status change is a compare-and-set on the status read. */
@Injectable()
export class EvidencePacksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findById(id: string, tx?: Tx): Promise<EvidencePackEntity | null> {
    return (tx ?? this.dataSource.manager).getRepository(EvidencePackEntity).findOneBy({ id });
  }

  findPage(filter: PackListFilter): Promise<EvidencePackEntity[]> {
    const query = this.dataSource
      .getRepository(EvidencePackEntity)
      .createQueryBuilder('p')
      .orderBy('p.requestedAt', 'DESC')
      .take(filter.limit);
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
    return tx
      .getRepository(EvidencePackEntity)
      .count({ where: { status: In(['queued', 'rendering'] satisfies PackStatus[]) } });
  }

  async insert(tx: Tx, pack: EvidencePackEntity): Promise<void> {
    await tx.getRepository(EvidencePackEntity).insert(pack);
  }

  /** A plain read, so an idle worker's poll stays out of the (SQLite) write queue. */
  async hasQueued(): Promise<boolean> {
    return (await this.dataSource.getRepository(EvidencePackEntity).countBy({ status: 'queued' })) > 0;
  }

  /**
   * Claims the oldest queued pack for one worker until `leaseUntil`, or returns null. PostgreSQL: the row is locked
   * with SKIP LOCKED so concurrent instances each take a different pack; SQLite: the write queue serialises claims
   * and the compare-and-set on the status is the guard.
   */
  async claimOldestQueued(
    tx: Tx,
    claimedBy: string,
    at: string,
    leaseUntil: string,
  ): Promise<EvidencePackEntity | null> {
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
    const claim = { claimedBy, startedAt: at, leaseUntil, attempts: next.attempts + 1 };
    return (await this.moveStatus(tx, next.id, next.status, 'rendering', claim))
      ? { ...next, ...claim, status: 'rendering' }
      : null;
  }

  /** Extends a claim while its holder still has it; false when the job was requeued (or finished) meanwhile. */
  renewLease(tx: Tx, id: string, claimedBy: string, leaseUntil: string): Promise<boolean> {
    return compareAndSet(tx, EvidencePackEntity, { id, status: 'rendering', claimedBy }, { leaseUntil });
  }

  /** Rendering jobs whose claim ran out (or, from before leases, never had one): their instance stopped renewing. */
  findExpiredClaims(now: string): Promise<EvidencePackEntity[]> {
    return this.dataSource
      .getRepository(EvidencePackEntity)
      .createQueryBuilder('p')
      .where('p.status = :status', { status: 'rendering' })
      .andWhere('(p.leaseUntil IS NULL OR p.leaseUntil < :now)', { now })
      .getMany();
  }

  /**
   * Moves a pack through a declared transition while the row still has status `from` and, when given, the same
   * claimant and lease; false when it had moved on.
   */
  moveStatus(
    tx: Tx,
    id: string,
    from: PackStatus,
    to: PackStatus,
    changes: Partial<EvidencePackEntity>,
    claim?: Pick<EvidencePackEntity, 'claimedBy'> & Partial<Pick<EvidencePackEntity, 'leaseUntil'>>,
  ): Promise<boolean> {
    const also: FindOptionsWhere<EvidencePackEntity> = {};
    if (claim) also.claimedBy = claim.claimedBy ?? IsNull();
    if (claim && 'leaseUntil' in claim) also.leaseUntil = claim.leaseUntil ?? IsNull();
    return PACK_STATUS.tryMove(tx, id, from, to, changes, also);
  }
}
