import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { AiSystemEntity, RISK_TIERS } from '../ai-systems/entities/ai-system.entity';
import { AuditLogHeadEntity } from '../audit-log/entities/audit-log-entry.entity';
import { Tx } from '../database/transaction-runner';
import { CoverageSummaryEntity, CoverageSummaryStateEntity } from './entities/coverage-summary.entity';

// PostgreSQL and SQLite both cap the number of bound parameters.
const CHUNK = 500;

// The tier that counts is the override when there is one (DESIGN "Risk tier").
const EFFECTIVE_TIER = 'COALESCE(s.riskTierOverride, s.computedRiskTier)';

export interface SummaryPageRow {
  id: string;
  name: string;
  riskTier: string;
  /** From the system's summary state; null when it has none yet. */
  gaps: number | null;
  staleEvidence: number | null;
  computedAt: string | null;
}

export type DashboardSummary = Pick<
  CoverageSummaryEntity,
  'systemId' | 'framework' | 'name' | 'applicable' | 'covered' | 'partial' | 'gap'
>;

export interface ActiveSystemsTally {
  total: number;
  /** Active systems per effective risk tier (the override when there is one), every tier listed. */
  tiers: Array<{ tier: string; count: number }>;
  /** Active systems with no summary yet (created since the last refresh). */
  withoutSummary: number;
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

  /** The summaries of these systems, by system and framework: the columns the dashboard shows, read raw. */
  async findSummaries(systemIds: string[]): Promise<DashboardSummary[]> {
    if (systemIds.length === 0) return [];
    const rows = await this.dataSource
      .getRepository(CoverageSummaryEntity)
      .createQueryBuilder('c')
      .select(['systemId', 'framework', 'name', 'applicable', 'covered', 'partial', 'gap'].map((c) => `c.${c}`))
      .where('c.systemId IN (:...systemIds)', { systemIds })
      .orderBy('c.systemId', 'ASC')
      .addOrderBy('c.framework', 'ASC')
      .getRawMany<Record<string, string | number>>();
    return rows.map((r) => ({
      systemId: String(r.c_systemId),
      framework: String(r.c_framework),
      name: String(r.c_name),
      applicable: Number(r.c_applicable),
      covered: Number(r.c_covered),
      partial: Number(r.c_partial),
      gap: Number(r.c_gap),
    }));
  }

  /**
   * The audit-log head as one string: every change to a system (its name, tier, archiving) moves it in the change's
   * own transaction (STYLE 8), so an unchanged head means unchanged systems.
   */
  async findAuditHead(): Promise<string> {
    const head = await this.dataSource.getRepository(AuditLogHeadEntity).findOneBy({ id: 1 });
    return head ? `${head.seq}:${head.hash}` : '0';
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

  /**
   * The active systems counted per effective risk tier, and how many have no summary yet: one grouped query for the
   * dashboard's tier counts, its total and its check for systems to compute first.
   */
  async tally(): Promise<ActiveSystemsTally> {
    const rows = await this.dataSource
      .getRepository(AiSystemEntity)
      .createQueryBuilder('s')
      .leftJoin(CoverageSummaryStateEntity, 'st', 'st.systemId = s.id')
      .select(EFFECTIVE_TIER, 'tier')
      .addSelect('COUNT(*)', 'n')
      .addSelect('SUM(CASE WHEN st.systemId IS NULL THEN 1 ELSE 0 END)', 'missing')
      .where('s.archivedAt IS NULL')
      .groupBy(EFFECTIVE_TIER)
      .getRawMany<{ tier: string; n: string | number; missing: string | number }>();
    const count = new Map(rows.map((r) => [r.tier, Number(r.n)]));
    return {
      total: rows.reduce((sum, r) => sum + Number(r.n), 0),
      tiers: RISK_TIERS.map((tier) => ({ tier, count: count.get(tier) ?? 0 })),
      withoutSummary: rows.reduce((sum, r) => sum + Number(r.missing), 0),
    };
  }

  /** One page of the active systems with their summary state, highest risk tier first, then most gaps, then by name. */
  findPage(limit: number, offset: number): Promise<SummaryPageRow[]> {
    const rank = `CASE ${EFFECTIVE_TIER} ${RISK_TIERS.map((t, i) => `WHEN '${t}' THEN ${i}`).join(' ')} ELSE ${RISK_TIERS.length} END`;
    return this.dataSource
      .getRepository(AiSystemEntity)
      .createQueryBuilder('s')
      .leftJoin(CoverageSummaryStateEntity, 'st', 'st.systemId = s.id')
      .select('s.id', 'id')
      .addSelect('s.name', 'name')
      .addSelect(EFFECTIVE_TIER, 'riskTier')
      .addSelect('st.gaps', 'gaps')
      .addSelect('st.staleEvidence', 'staleEvidence')
      .addSelect('st.computedAt', 'computedAt')
      .where('s.archivedAt IS NULL')
      .orderBy(rank, 'ASC')
      .addOrderBy('COALESCE(st.gaps, 0)', 'DESC')
      .addOrderBy('s.name', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .limit(limit)
      .offset(offset)
      .getRawMany<SummaryPageRow>();
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
