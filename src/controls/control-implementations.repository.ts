import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { timeOrderedId } from '../common/time-ordered-id';
import { bulkInsert } from '../database/bulk-insert';
import { StatusColumn } from '../database/status-transition';
import { Tx } from '../database/transaction-runner';
import { ControlImplementationEntity, ImplementationStatus } from './entities/control-implementation.entity';
import { ControlStatusChangeEntity } from './entities/control-status-change.entity';
import { implementationStatusMachine } from './implementation-status';

const IMPLEMENTATION_STATUS = new StatusColumn(ControlImplementationEntity, implementationStatusMachine);

/** Who moved a status and why, kept in the status history. */
export interface StatusChangeBy {
  actor: string;
  at: string;
  justification: string | null;
}

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
      .orderBy('i.systemId', 'ASC')
      .addOrderBy('i.controlCode', 'ASC')
      .getMany();
  }

  /**
   * The implementations of these systems as they stood at `at`: each with the status and justification of its
   * latest history row at or before `at`. Implementations with no history row by then did not exist yet and are left
   * out (coverage then reads their controls as not started). Two indexed queries whatever the number of systems.
   */
  async findBySystemsAsOf(systemIds: string[], at: string): Promise<ControlImplementationEntity[]> {
    if (systemIds.length === 0) return [];
    const [implementations, changes] = await Promise.all([
      this.findBySystems(systemIds),
      this.findStatusChanges(systemIds, at),
    ]);
    const latest = new Map<string, ControlStatusChangeEntity>();
    for (const change of changes) latest.set(change.implementationId, change);
    const result: ControlImplementationEntity[] = [];
    for (const implementation of implementations) {
      const change = latest.get(implementation.id);
      if (change)
        result.push(
          Object.assign(new ControlImplementationEntity(), implementation, {
            status: change.status,
            justification: change.justification,
          }),
        );
    }
    return result;
  }

  /** The status of each control of one system at `at` (control code -> status), from the history. */
  async findStatusesAsOf(systemId: string, at: string): Promise<Map<string, ImplementationStatus>> {
    const rows = await this.findBySystemsAsOf([systemId], at);
    return new Map(rows.map((r) => [r.controlCode, r.status]));
  }

  /** The status history of these systems up to `at` (every row when omitted), oldest first. */
  findStatusChanges(systemIds: string[], at?: string): Promise<ControlStatusChangeEntity[]> {
    if (systemIds.length === 0) return Promise.resolve([]);
    const query = this.dataSource
      .getRepository(ControlStatusChangeEntity)
      .createQueryBuilder('c')
      .where('c.systemId IN (:...systemIds)', { systemIds });
    if (at !== undefined) query.andWhere('c.changedAt <= :at', { at });
    return query.orderBy('c.changedAt', 'ASC').addOrderBy('c.id', 'ASC').getMany();
  }

  /** The history of one implementation, newest first. */
  findHistory(implementationId: string): Promise<ControlStatusChangeEntity[]> {
    return this.dataSource
      .getRepository(ControlStatusChangeEntity)
      .find({ where: { implementationId }, order: { changedAt: 'DESC', id: 'DESC' } });
  }

  findOne(systemId: string, controlCode: string, tx?: Tx): Promise<ControlImplementationEntity | null> {
    return (tx ?? this.dataSource.manager)
      .getRepository(ControlImplementationEntity)
      .findOneBy({ systemId, controlCode });
  }

  /** New implementations and the first row of each one's history, at its updatedAt. */
  async insertMany(tx: Tx, rows: ControlImplementationEntity[], actor = 'system'): Promise<void> {
    if (rows.length === 0) return;
    await bulkInsert(tx, ControlImplementationEntity, rows);
    await bulkInsert(
      tx,
      ControlStatusChangeEntity,
      rows.map((row) =>
        this.statusChange(row, null, row.status, { actor, at: row.updatedAt, justification: row.justification }),
      ),
    );
  }

  /**
   * Applies a change decided on the implementation as read with status `from`: a move to `to` through the declared
   * transitions, kept in the history with `by`, or (to === from) the other fields only. 409 when its status changed
   * meanwhile.
   */
  async change(
    tx: Tx,
    implementation: ControlImplementationEntity,
    to: ImplementationStatus,
    changes: Partial<ControlImplementationEntity>,
    by: StatusChangeBy,
  ): Promise<void> {
    const from = implementation.status;
    if (to === from) {
      await IMPLEMENTATION_STATUS.updateWhile(tx, implementation.id, from, changes);
      return;
    }
    await IMPLEMENTATION_STATUS.move(tx, implementation.id, from, to, changes);
    await tx.getRepository(ControlStatusChangeEntity).insert(this.statusChange(implementation, from, to, by));
  }

  private statusChange(
    implementation: Pick<ControlImplementationEntity, 'id' | 'systemId' | 'controlCode'>,
    fromStatus: ImplementationStatus | null,
    status: ImplementationStatus,
    by: StatusChangeBy,
  ): ControlStatusChangeEntity {
    return Object.assign(new ControlStatusChangeEntity(), {
      id: timeOrderedId(),
      implementationId: implementation.id,
      systemId: implementation.systemId,
      controlCode: implementation.controlCode,
      fromStatus,
      status,
      justification: by.justification,
      actor: by.actor,
      changedAt: by.at,
    });
  }
}
