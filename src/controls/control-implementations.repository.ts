import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Tx } from '../database/transaction-runner';
import { ControlImplementationEntity } from './entities/control-implementation.entity';

@Injectable()
export class ControlImplementationsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findBySystem(systemId: string, tx?: Tx): Promise<ControlImplementationEntity[]> {
    return (tx ?? this.dataSource.manager).getRepository(ControlImplementationEntity).find({ where: { systemId }, order: { controlCode: 'ASC' } });
  }

  findBySystems(systemIds: string[]): Promise<ControlImplementationEntity[]> {
    if (systemIds.length === 0) return Promise.resolve([]);
    return this.dataSource
      .getRepository(ControlImplementationEntity)
      .createQueryBuilder('i')
      .where('i.systemId IN (:...systemIds)', { systemIds })
      .getMany();
  }

  findOne(systemId: string, controlCode: string, tx?: Tx): Promise<ControlImplementationEntity | null> {
    return (tx ?? this.dataSource.manager).getRepository(ControlImplementationEntity).findOneBy({ systemId, controlCode });
  }

  async insertMany(tx: Tx, rows: ControlImplementationEntity[]): Promise<void> {
    if (rows.length > 0) await tx.getRepository(ControlImplementationEntity).insert(rows);
  }

  async update(tx: Tx, id: string, changes: Partial<ControlImplementationEntity>): Promise<void> {
    await tx.getRepository(ControlImplementationEntity).update({ id }, changes);
  }
}
