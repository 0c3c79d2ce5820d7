import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AiSystemEntity } from '../ai-systems/entities/ai-system.entity';
import { AuditAuditorEntity, AuditEntity, AuditSystemEntity } from '../audits/entities/audit.entity';
import { TaskEntity, TaskEventEntity, TaskStatus } from '../tasks/entities/task.entity';

export interface AuditScopeRecord {
  audit: AuditEntity;
  systemIds: string[];
  auditorIds: string[];
}

/** Reads a pack needs from other modules' tables (audits, tasks), as of an instant; no writes. */
@Injectable()
export class PackSourcesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findAuditScope(auditId: string): Promise<AuditScopeRecord | null> {
    const audit = await this.dataSource.getRepository(AuditEntity).findOneBy({ id: auditId });
    if (!audit) return null;
    const [systems, auditors] = await Promise.all([
      this.dataSource.getRepository(AuditSystemEntity).find({ where: { auditId }, order: { systemId: 'ASC' } }),
      this.dataSource.getRepository(AuditAuditorEntity).find({ where: { auditId }, order: { userId: 'ASC' } }),
    ]);
    return { audit, systemIds: systems.map((s) => s.systemId), auditorIds: auditors.map((a) => a.userId) };
  }

  /** A system by id, or by its exact name when the value is not an id (CLI convenience); null when none or ambiguous. */
  async findSystemByIdOrName(value: string): Promise<AiSystemEntity | null> {
    const repository = this.dataSource.getRepository(AiSystemEntity);
    const byId = await repository.findOneBy({ id: value });
    if (byId) return byId;
    const byName = await repository.find({ where: { name: value }, take: 2 });
    return byName.length === 1 ? byName[0] : null;
  }

  /**
   * Tasks of the systems that existed at `at` and were not done then. The status at `at` is the target of the
   * last transition recorded up to then (a task starts open), so a pack can be regenerated as of a past instant.
   */
  async findTasksOpenAt(systemIds: string[], at: string): Promise<Array<TaskEntity & { statusAt: TaskStatus }>> {
    if (systemIds.length === 0) return [];
    const tasks = await this.dataSource
      .getRepository(TaskEntity)
      .createQueryBuilder('t')
      .where('t.systemId IN (:...systemIds)', { systemIds })
      .andWhere('t.createdAt <= :at', { at })
      .orderBy('t.dueDate', 'ASC')
      .addOrderBy('t.createdAt', 'ASC')
      .getMany();
    if (tasks.length === 0) return [];
    const events = await this.dataSource
      .getRepository(TaskEventEntity)
      .createQueryBuilder('e')
      .innerJoin(TaskEntity, 't', 't.id = e.taskId')
      .where('t.systemId IN (:...systemIds)', { systemIds })
      .andWhere('e.at <= :at', { at })
      .orderBy('e.at', 'ASC')
      .getMany();
    const statusAt = new Map<string, TaskStatus>();
    for (const event of events) statusAt.set(event.taskId, event.toStatus as TaskStatus);
    return tasks
      .map((task) => Object.assign(task, { statusAt: statusAt.get(task.id) ?? 'open' }))
      .filter((task) => task.statusAt !== 'done');
  }
}
