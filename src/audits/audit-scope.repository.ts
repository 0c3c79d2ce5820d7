import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditAuditorEntity, AuditSystemEntity } from './entities/audit.entity';

@Injectable()
export class AuditScopeRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Ids of the systems covered by any audit the user is assigned to as auditor. */
  async findSystemIdsForAuditor(userId: string): Promise<string[]> {
    const rows = await this.dataSource
      .getRepository(AuditSystemEntity)
      .createQueryBuilder('s')
      .innerJoin(AuditAuditorEntity, 'a', 'a.auditId = s.auditId')
      .where('a.userId = :userId', { userId })
      .select('DISTINCT s.systemId', 'systemId')
      .getRawMany<{ systemId: string }>();
    return rows.map((r) => r.systemId);
  }

  async findAuditIdsForAuditor(userId: string): Promise<string[]> {
    const rows = await this.dataSource.getRepository(AuditAuditorEntity).find({ where: { userId } });
    return rows.map((r) => r.auditId);
  }
}
