import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { Tx } from '../database/transaction-runner';
import { TaskSweepStateEntity } from './entities/task-sweep-state.entity';

// PostgreSQL and SQLite both cap the number of bound parameters.
const CHUNK = 500;

/** The sweep's per-system record of when it last looked. */
@Injectable()
export class TaskSweepStatesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findBySystems(systemIds: string[]): Promise<Map<string, TaskSweepStateEntity>> {
    const states = new Map<string, TaskSweepStateEntity>();
    for (let i = 0; i < systemIds.length; i += CHUNK) {
      const rows = await this.dataSource
        .getRepository(TaskSweepStateEntity)
        .findBy({ systemId: In(systemIds.slice(i, i + CHUNK)) });
      for (const row of rows) states.set(row.systemId, row);
    }
    return states;
  }

  async save(tx: Tx, states: TaskSweepStateEntity[]): Promise<void> {
    for (let i = 0; i < states.length; i += 100) {
      await tx
        .getRepository(TaskSweepStateEntity)
        .upsert(states.slice(i, i + 100), { conflictPaths: ['systemId'], skipUpdateIfNoValuesChanged: false });
    }
  }

  /**
   * Systems found unchanged up to `seq` stay valid up to it, so the next sweep reads the log from there, not from
   * when they last changed. Never lowers a seq another instance's sweep stored meanwhile.
   */
  async advance(tx: Tx, systemIds: string[], seq: number): Promise<void> {
    for (let i = 0; i < systemIds.length; i += CHUNK) {
      await tx
        .createQueryBuilder()
        .update(TaskSweepStateEntity)
        .set({ inputsSeq: seq })
        .where('systemId IN (:...ids)', { ids: systemIds.slice(i, i + CHUNK) })
        .andWhere('inputsSeq < :seq', { seq })
        .execute();
    }
  }
}
