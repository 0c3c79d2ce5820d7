import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, Not } from 'typeorm';
import { TaskEntity } from '../tasks/entities/task.entity';

/** The reads the OSCAL exports need beyond what the feature repositories offer. */
@Injectable()
export class OscalRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Remediation tasks of the system that are not done, oldest first (ids break ties so the order is stable). */
  findOpenRemediationTasks(systemId: string): Promise<TaskEntity[]> {
    return this.dataSource.getRepository(TaskEntity).find({
      where: { systemId, kind: 'remediation', status: Not('done') },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }
}
