import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Tx } from '../database/transaction-runner';
import { EvidenceEntity } from '../evidence/entities/evidence.entity';
import { EvaluationMetricEntity } from './entities/evaluation-metric.entity';

export interface MeasuredMetric extends EvaluationMetricEntity {
  reviewStatus: EvidenceEntity['reviewStatus'];
}

@Injectable()
export class EvaluationMetricsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(tx: Tx, rows: EvaluationMetricEntity[]): Promise<void> {
    if (rows.length > 0) await tx.getRepository(EvaluationMetricEntity).insert(rows);
  }

  /**
   * The metrics of a system's evaluations that were not rejected, oldest first per control and metric: the history a
   * chart draws. One indexed query.
   */
  async findBySystem(systemId: string): Promise<MeasuredMetric[]> {
    const rows = await this.dataSource
      .getRepository(EvaluationMetricEntity)
      .createQueryBuilder('m')
      .innerJoin(EvidenceEntity, 'e', 'e.id = m.evidenceId')
      .addSelect('e.reviewStatus', 'reviewStatus')
      .where('m.systemId = :systemId', { systemId })
      .andWhere("e.reviewStatus <> 'rejected'")
      .orderBy('m.controlCode', 'ASC')
      .addOrderBy('m.name', 'ASC')
      .addOrderBy('m.measuredAt', 'ASC')
      .addOrderBy('m.testId', 'ASC')
      .getRawAndEntities();
    return rows.entities.map((m, i) =>
      Object.assign(m, {
        reviewStatus: (rows.raw[i] as { reviewStatus: EvidenceEntity['reviewStatus'] }).reviewStatus,
      }),
    );
  }
}
