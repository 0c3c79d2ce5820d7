import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { StatusColumn } from '../database/status-transition';
import { Tx } from '../database/transaction-runner';
import { ControlImplementationEntity, ImplementationStatus } from './entities/control-implementation.entity';
import { implementationStatusMachine } from './implementation-status';

const IMPLEMENTATION_STATUS = new StatusColumn(ControlImplementationEntity, implementationStatusMachine);

@Injectable()
export class ControlImplementationsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findBySystem(systemId: string, tx?: Tx): Promise<ControlImplementationEntity[]> {
    return (tx ?? this.dataSource.manager)
      .getRepository(ControlImplementationEntity)
      .find({ where: { systemId }, order: { controlCode: 'ASC' } });
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
    return (tx ?? this.dataSource.manager)
      .getRepository(ControlImplementationEntity)
      .findOneBy({ systemId, controlCode });
  }

  async insertMany(tx: Tx, rows: ControlImplementationEntity[]): Promise<void> {
    if (rows.length > 0) await tx.getRepository(ControlImplementationEntity).insert(rows);
  }

  /**
   * Applies a change decided on the implementation as read with status `from`: a move to `to` through the declared
   * transitions, or (to === from) the other fields only. 409 when its status changed meanwhile.
   */
  async change(
    tx: Tx,
    id: string,
    from: ImplementationStatus,
    to: ImplementationStatus,
    changes: Partial<ControlImplementationEntity>,
  ): Promise<void> {
    if (to === from) await IMPLEMENTATION_STATUS.updateWhile(tx, id, from, changes);
    else await IMPLEMENTATION_STATUS.move(tx, id, from, to, changes);
  }
}
