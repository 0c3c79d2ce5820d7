import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, SelectQueryBuilder } from 'typeorm';
import { bulkInsert } from '../database/bulk-insert';
import { Tx } from '../database/transaction-runner';
import { AiSystemEntity, LifecycleStage, RiskTier, SystemSort } from './entities/ai-system.entity';

export interface SystemFilter {
  q?: string;
  lifecycleStage?: LifecycleStage;
  riskTier?: RiskTier;
  includeArchived?: boolean;
  ids?: string[] | null;
  sort?: SystemSort;
}

@Injectable()
export class AiSystemsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findById(id: string, tx?: Tx): Promise<AiSystemEntity | null> {
    return (tx ?? this.dataSource.manager).getRepository(AiSystemEntity).findOneBy({ id });
  }

  findByIds(ids: string[]): Promise<AiSystemEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.dataSource
      .getRepository(AiSystemEntity)
      .createQueryBuilder('s')
      .where('s.id IN (:...ids)', { ids })
      .orderBy('s.name', 'ASC')
      .getMany();
  }

  async findPage(
    filter: SystemFilter & { limit: number; offset: number },
  ): Promise<{ items: AiSystemEntity[]; total: number }> {
    const query = this.filtered(filter);
    if (!query) return { items: [], total: 0 };
    const [items, total] = await query.skip(filter.offset).take(filter.limit).getManyAndCount();
    return { items, total };
  }

  /** Every system the filter matches, in list order (for filters computed in code, which must run before paging). */
  async findMatching(filter: SystemFilter): Promise<AiSystemEntity[]> {
    return (await this.filtered(filter)?.getMany()) ?? [];
  }

  /** null when nothing can match (an empty visible set). */
  private filtered(filter: SystemFilter): SelectQueryBuilder<AiSystemEntity> | null {
    const query = this.dataSource.getRepository(AiSystemEntity).createQueryBuilder('s');
    // The tier that counts is the override when there is one (both kept, DESIGN "Risk tier").
    if (filter.sort === 'risk')
      query
        .addSelect(
          "CASE COALESCE(s.riskTierOverride, s.computedRiskTier) WHEN 'prohibited' THEN 0 WHEN 'high' THEN 1 WHEN 'limited' THEN 2 ELSE 3 END",
          'tier_rank',
        )
        .orderBy('tier_rank', 'ASC');
    else if (filter.sort === 'updated') query.orderBy('s.updatedAt', 'DESC');
    query.addOrderBy('s.name', 'ASC').addOrderBy('s.id', 'ASC');
    if (!filter.includeArchived) query.andWhere('s.archivedAt IS NULL');
    if (filter.lifecycleStage) query.andWhere('s.lifecycleStage = :stage', { stage: filter.lifecycleStage });
    if (filter.riskTier) {
      query.andWhere(
        new Brackets((b) =>
          b
            .where('s.riskTierOverride = :tier', { tier: filter.riskTier })
            .orWhere('(s.riskTierOverride IS NULL AND s.computedRiskTier = :tier)', { tier: filter.riskTier }),
        ),
      );
    }
    if (filter.q)
      query.andWhere('(LOWER(s.name) LIKE :q OR LOWER(s.purpose) LIKE :q OR LOWER(s.owner) LIKE :q)', {
        q: `%${filter.q.toLowerCase()}%`,
      });
    if (filter.ids) {
      if (filter.ids.length === 0) return null;
      query.andWhere('s.id IN (:...ids)', { ids: filter.ids });
    }
    return query;
  }

  findAllActive(): Promise<AiSystemEntity[]> {
    return this.dataSource
      .getRepository(AiSystemEntity)
      .createQueryBuilder('s')
      .where('s.archivedAt IS NULL')
      .orderBy('s.name', 'ASC')
      .getMany();
  }

  /** One INSERT of the row as given (TypeORM's insert would read the row back for its defaults; issue 18.4). */
  insert(tx: Tx, system: AiSystemEntity): Promise<void> {
    return bulkInsert(tx, AiSystemEntity, [system]);
  }

  async update(tx: Tx, id: string, changes: Partial<AiSystemEntity>): Promise<void> {
    await tx.getRepository(AiSystemEntity).update({ id }, changes);
  }
}
