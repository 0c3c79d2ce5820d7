import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, Not } from 'typeorm';
import { TaskEntity } from '../tasks/entities/task.entity';
import { UserEntity } from '../users/entities/user.entity';

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

  /** The named owners of control implementations: name and e-mail only, for SSP parties. */
  findUsers(ids: string[]): Promise<Array<Pick<UserEntity, 'id' | 'displayName' | 'email'>>> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(UserEntity).find({
      select: { id: true, displayName: true, email: true },
      where: { id: In(ids) },
      order: { id: 'ASC' },
    });
  }
}
