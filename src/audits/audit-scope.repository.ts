import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditorAssignments, AuditorAssignmentsPort } from '../access-scope/auditor-assignments.port';
import { AuditAuditorEntity, AuditSystemEntity } from './entities/audit.entity';

/** Supplies AccessScope's auditor assignments (AuditorAssignmentsPort) from the audits' tables. */
@Injectable()
export class AuditScopeRepository implements AuditorAssignments, OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly port: AuditorAssignmentsPort,
  ) {}

  onModuleInit(): void {
    this.port.bind(this);
  }

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
