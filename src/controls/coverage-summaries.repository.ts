import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { AiSystemEntity, RISK_TIERS } from '../ai-systems/entities/ai-system.entity';
import { Tx } from '../database/transaction-runner';
import { CoverageSummaryEntity, CoverageSummaryStateEntity } from './entities/coverage-summary.entity';

// PostgreSQL and SQLite both cap the number of bound parameters.
const CHUNK = 500;

export interface SummaryPageRow {
  id: string;
  name: string;
  riskTier: string;
  state: CoverageSummaryStateEntity | null;
}

/** The dashboard's coverage summaries: derived from the records, rewritten whenever their inputs change. */
@Injectable()
export class CoverageSummariesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findStates(systemIds: string[]): Promise<Map<string, CoverageSummaryStateEntity>> {
    const states = new Map<string, CoverageSummaryStateEntity>();
    for (let i = 0; i < systemIds.length; i += CHUNK) {
      const rows = await this.dataSource
        .getRepository(CoverageSummaryStateEntity)
        .findBy({ systemId: In(systemIds.slice(i, i + CHUNK)) });
      for (const row of rows) states.set(row.systemId, row);
    }
    return states;
  }

  findSummaries(systemIds: string[]): Promise<CoverageSummaryEntity[]> {
    if (systemIds.length === 0) return Promise.resolve([]);
    return this.dataSource
      .getRepository(CoverageSummaryEntity)
      .find({ where: { systemId: In(systemIds) }, order: { systemId: 'ASC', framework: 'ASC' } });
  }

  /** Active systems that have no summary yet (created since the last refresh). */
  async findSystemIdsWithoutSummary(): Promise<string[]> {
    const rows = await this.dataSource
      .getRepository(AiSystemEntity)
      .createQueryBuilder('s')
      .select('s.id', 'id')
      .leftJoin(CoverageSummaryStateEntity, 'st', 'st.systemId = s.id')
      .where('s.archivedAt IS NULL')
      .andWhere('st.systemId IS NULL')
      .getRawMany<{ id: string }>();
    return rows.map((r) => r.id);
  }

  /** One page of the active systems, highest risk tier first, then most gaps, then by name. */
  async findPage(limit: number, offset: number): Promise<{ rows: SummaryPageRow[]; total: number }> {
    const tier = `COALESCE(s.riskTierOverride, s.computedRiskTier)`;
    const rank = `CASE ${tier} ${RISK_TIERS.map((t, i) => `WHEN '${t}' THEN ${i}`).join(' ')} ELSE ${RISK_TIERS.length} END`;
    const systems = () => this.dataSource.getRepository(AiSystemEntity).createQueryBuilder('s');
    const [total, raw] = await Promise.all([
      systems().where('s.archivedAt IS NULL').getCount(),
      systems()
        .leftJoin(CoverageSummaryStateEntity, 'st', 'st.systemId = s.id')
        .select('s.id', 'id')
        .addSelect('s.name', 'name')
        .addSelect(tier, 'riskTier')
        .where('s.archivedAt IS NULL')
        .orderBy(rank, 'ASC')
        .addOrderBy('COALESCE(st.gaps, 0)', 'DESC')
        .addOrderBy('s.name', 'ASC')
        .addOrderBy('s.id', 'ASC')
        .limit(limit)
        .offset(offset)
        .getRawMany<{ id: string; name: string; riskTier: string }>(),
    ]);
    const states = await this.findStates(raw.map((r) => r.id));
    return {
      total,
      rows: raw.map((r) => ({ id: r.id, name: r.name, riskTier: r.riskTier, state: states.get(r.id) ?? null })),
    };
  }

  /**
   * Replaces one system's summaries unless a newer computation is stored: one from a later audit-log head, or from
   * the same head at a later instant. Row-locked on PostgreSQL, so two instances refreshing the same system queue;
   * false when the stored summary was newer.
   */
  async replaceIfNewer(
    tx: Tx,
    state: CoverageSummaryStateEntity,
    summaries: CoverageSummaryEntity[],
  ): Promise<boolean> {
    const query = tx
      .getRepository(CoverageSummaryStateEntity)
      .createQueryBuilder('st')
      .where('st.systemId = :id', { id: state.systemId });
    if (tx.connection.options.type === 'postgres') query.setLock('pessimistic_write');
    const stored = await query.getOne();
    if (
      stored &&
      (stored.inputsSeq > state.inputsSeq ||
        (stored.inputsSeq === state.inputsSeq && stored.computedAt > state.computedAt))
    )
      return false;
    await tx.getRepository(CoverageSummaryEntity).delete({ systemId: state.systemId });
    if (summaries.length > 0) await tx.getRepository(CoverageSummaryEntity).insert(summaries);
    await tx
      .getRepository(CoverageSummaryStateEntity)
      .upsert(state, { conflictPaths: ['systemId'], skipUpdateIfNoValuesChanged: false });
    return true;
  }

  /** Summaries found unchanged up to `seq` stay valid up to it; never lowers a seq stored meanwhile. */
  async advance(tx: Tx, systemIds: string[], seq: number): Promise<void> {
    for (let i = 0; i < systemIds.length; i += CHUNK) {
      await tx
        .createQueryBuilder()
        .update(CoverageSummaryStateEntity)
        .set({ inputsSeq: seq })
        .where('systemId IN (:...ids)', { ids: systemIds.slice(i, i + CHUNK) })
        .andWhere('inputsSeq < :seq', { seq })
        .execute();
    }
  }
}
