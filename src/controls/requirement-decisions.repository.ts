import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { conflict } from '../common/domain-errors';
import { Tx } from '../database/transaction-runner';
import { isUniqueViolation } from '../database/unique-violation';
import { RequirementDecisionEntity } from './entities/requirement-decision.entity';

@Injectable()
export class RequirementDecisionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findBySystem(systemId: string): Promise<RequirementDecisionEntity[]> {
    return this.dataSource
      .getRepository(RequirementDecisionEntity)
      .find({ where: { systemId }, order: { decidedAt: 'ASC', id: 'ASC' } });
  }

  findBySystems(systemIds: string[]): Promise<RequirementDecisionEntity[]> {
    if (systemIds.length === 0) return Promise.resolve([]);
    return this.dataSource
      .getRepository(RequirementDecisionEntity)
      .createQueryBuilder('d')
      .where('d.systemId IN (:...systemIds)', { systemIds })
      .orderBy('d.decidedAt', 'ASC')
      .addOrderBy('d.id', 'ASC')
      .getMany();
  }

  findOne(tx: Tx, systemId: string, requirementId: string): Promise<RequirementDecisionEntity | null> {
    return tx.getRepository(RequirementDecisionEntity).findOneBy({ systemId, requirementId });
  }

  /** Records a first decision; a concurrent first decision on the same requirement loses with 409. */
  async insert(tx: Tx, row: RequirementDecisionEntity): Promise<void> {
    try {
      await tx.getRepository(RequirementDecisionEntity).insert(row);
    } catch (error) {
      if (isUniqueViolation(error))
        throw conflict(
          'Another decision on this requirement was recorded at the same time; reload and decide again',
          undefined,
          'conflict_status_changed',
        );
      throw error;
    }
  }

  async update(
    tx: Tx,
    id: string,
    changes: Pick<RequirementDecisionEntity, 'decision' | 'rationale' | 'decidedBy' | 'decidedAt'>,
  ): Promise<void> {
    await tx.getRepository(RequirementDecisionEntity).update({ id }, changes);
  }

  async remove(tx: Tx, id: string): Promise<void> {
    await tx.getRepository(RequirementDecisionEntity).delete({ id });
  }
}
