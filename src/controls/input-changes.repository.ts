import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditLogEntryEntity, AuditLogHeadEntity } from '../audit-log/entities/audit-log-entry.entity';
import { appendTo } from '../common/multimap';
import { EvidenceEntity } from '../evidence/entities/evidence.entity';
import type { ChangeEntry, LookupTable } from './input-changes';

// PostgreSQL and SQLite both cap the number of bound parameters.
const CHUNK = 500;

/**
 * The audit log read as a change feed: every change to a record appends an entry in its own transaction (STYLE 8),
 * so the entries after a seq are exactly the changes made since, and the head is a version of the whole database.
 */
@Injectable()
export class InputChangesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findHeadSeq(): Promise<number> {
    return (await this.dataSource.getRepository(AuditLogHeadEntity).findOneBy({ id: 1 }))?.seq ?? 0;
  }

  findEntriesBetween(afterSeq: number, uptoSeq: number, limit: number): Promise<ChangeEntry[]> {
    return this.dataSource
      .getRepository(AuditLogEntryEntity)
      .createQueryBuilder('e')
      .select(['e.seq', 'e.action', 'e.entityType', 'e.entityId', 'e.payload'])
      .where('e.seq > :afterSeq AND e.seq <= :uptoSeq', { afterSeq, uptoSeq })
      .orderBy('e.seq', 'ASC')
      .take(limit)
      .getMany();
  }

  /** The system of each row id of a table with a systemId column (rows since deleted are absent). */
  async findSystemIds(table: LookupTable, ids: string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (let i = 0; i < ids.length; i += CHUNK) {
      const rows = await this.dataSource
        .createQueryBuilder()
        .select('r.id', 'id')
        .addSelect('r.systemId', 'systemId')
        .from(table, 'r')
        .where('r.id IN (:...ids)', { ids: ids.slice(i, i + CHUNK) })
        .getRawMany<{ id: string; systemId: string }>();
      for (const row of rows) found.set(row.id, row.systemId);
    }
    return found;
  }

  /** The valid-until instants of each system's evidence. */
  async findValidUntilBySystems(systemIds: string[]): Promise<Map<string, string[]>> {
    const found = new Map<string, string[]>();
    for (let i = 0; i < systemIds.length; i += CHUNK) {
      const rows = await this.dataSource
        .getRepository(EvidenceEntity)
        .createQueryBuilder('e')
        .select('e.systemId', 'systemId')
        .addSelect('e.validUntil', 'validUntil')
        .where('e.systemId IN (:...ids)', { ids: systemIds.slice(i, i + CHUNK) })
        .andWhere('e.validUntil IS NOT NULL')
        .getRawMany<{ systemId: string; validUntil: string }>();
      for (const row of rows) appendTo(found, row.systemId, row.validUntil);
    }
    return found;
  }
}
