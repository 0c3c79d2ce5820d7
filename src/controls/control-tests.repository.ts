import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Tx } from '../database/transaction-runner';
import { EvaluationMetricEntity } from './entities/evaluation-metric.entity';
import { ControlTestEntity, ControlTestEvidenceEntity } from './entities/control-test.entity';

export interface ControlTestWithEvidence extends ControlTestEntity {
  evidenceIds: string[];
  /** The evaluation evidence an automated test was judged from (evaluation_metrics); null for a manual test. */
  automatedFromEvidenceId?: string | null;
}

@Injectable()
export class ControlTestsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The tests of one control of one system, newest first. */
  findByControl(systemId: string, controlCode: string): Promise<ControlTestWithEvidence[]> {
    return this.withEvidence(
      this.dataSource
        .getRepository(ControlTestEntity)
        .createQueryBuilder('t')
        .where('t.systemId = :systemId AND t.controlCode = :controlCode', { systemId, controlCode })
        .orderBy('t.testedAt', 'DESC')
        .addOrderBy('t.id', 'ASC')
        .getMany(),
    );
  }

  /**
   * The tests of these systems performed within [from, to] (either bound optional), oldest first: what a pack shows
   * as the test results of an audit period. Two indexed queries whatever the number of systems.
   */
  findBySystems(systemIds: string[], period: { from?: string; to?: string } = {}): Promise<ControlTestWithEvidence[]> {
    if (systemIds.length === 0) return Promise.resolve([]);
    const query = this.dataSource
      .getRepository(ControlTestEntity)
      .createQueryBuilder('t')
      .where('t.systemId IN (:...systemIds)', { systemIds });
    if (period.from !== undefined) query.andWhere('t.testedAt >= :from', { from: period.from });
    if (period.to !== undefined) query.andWhere('t.testedAt <= :to', { to: period.to });
    return this.withEvidence(
      query.orderBy('t.testedAt', 'ASC').addOrderBy('t.controlCode', 'ASC').addOrderBy('t.id', 'ASC').getMany(),
    );
  }

  async insert(tx: Tx, test: ControlTestEntity, evidenceIds: string[]): Promise<void> {
    await tx.getRepository(ControlTestEntity).insert(test);
    if (evidenceIds.length > 0)
      await tx
        .getRepository(ControlTestEvidenceEntity)
        .insert(evidenceIds.map((evidenceId) => ({ testId: test.id, evidenceId })));
  }

  private async withEvidence(pending: Promise<ControlTestEntity[]>): Promise<ControlTestWithEvidence[]> {
    const tests = await pending;
    if (tests.length === 0) return [];
    const ids = tests.map((t) => t.id);
    const [links, measured] = await Promise.all([
      this.dataSource
        .getRepository(ControlTestEvidenceEntity)
        .createQueryBuilder('l')
        .where('l.testId IN (:...ids)', { ids })
        .getMany(),
      this.dataSource
        .getRepository(EvaluationMetricEntity)
        .createQueryBuilder('m')
        .select(['m.testId', 'm.evidenceId'])
        .where('m.testId IN (:...ids)', { ids })
        .getMany(),
    ]);
    const automated = new Map(measured.map((m) => [m.testId, m.evidenceId]));
    const byTest = new Map<string, string[]>();
    for (const link of links) {
      const list = byTest.get(link.testId);
      if (list) list.push(link.evidenceId);
      else byTest.set(link.testId, [link.evidenceId]);
    }
    return tests.map((t) =>
      Object.assign(t, {
        evidenceIds: (byTest.get(t.id) ?? []).sort(),
        automatedFromEvidenceId: automated.get(t.id) ?? null,
      }),
    );
  }
}
