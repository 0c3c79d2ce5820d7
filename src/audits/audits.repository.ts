import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { conflict } from '../common/domain-errors';
import { compareAndSet } from '../database/status-transition';
import { Tx } from '../database/transaction-runner';
import { AuditAuditorEntity, AuditEntity, AuditSystemEntity } from './entities/audit.entity';
import { appendTo } from '../common/multimap';

export interface AuditMembers {
  systemIds: Map<string, string[]>;
  auditorIds: Map<string, string[]>;
}

@Injectable()
export class AuditsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findById(id: string): Promise<AuditEntity | null> {
    return this.dataSource.getRepository(AuditEntity).findOneBy({ id });
  }

  /** ids null means every audit. */
  findAll(ids: string[] | null): Promise<AuditEntity[]> {
    if (ids && ids.length === 0) return Promise.resolve([]);
    const query = this.dataSource
      .getRepository(AuditEntity)
      .createQueryBuilder('a')
      .orderBy('a.periodStart', 'DESC')
      .addOrderBy('a.name', 'ASC');
    if (ids) query.where('a.id IN (:...ids)', { ids });
    return query.getMany();
  }

  /** The systems and auditors of these audits: two queries whatever their number. */
  async findMembers(auditIds: string[]): Promise<AuditMembers> {
    const members: AuditMembers = { systemIds: new Map(), auditorIds: new Map() };
    if (auditIds.length === 0) return members;
    const [systems, auditors] = await Promise.all([
      this.dataSource
        .getRepository(AuditSystemEntity)
        .createQueryBuilder('s')
        .where('s.auditId IN (:...auditIds)', { auditIds })
        .getMany(),
      this.dataSource
        .getRepository(AuditAuditorEntity)
        .createQueryBuilder('u')
        .where('u.auditId IN (:...auditIds)', { auditIds })
        .getMany(),
    ]);
    for (const s of systems) appendTo(members.systemIds, s.auditId, s.systemId);
    for (const u of auditors) appendTo(members.auditorIds, u.auditId, u.userId);
    return members;
  }

  async insert(tx: Tx, audit: AuditEntity, systemIds: string[], auditorIds: string[]): Promise<void> {
    await tx.getRepository(AuditEntity).insert(audit);
    await this.replaceSystems(tx, audit.id, systemIds);
    await this.replaceAuditors(tx, audit.id, auditorIds);
  }

  async rename(tx: Tx, id: string, name: string): Promise<void> {
    await tx.getRepository(AuditEntity).update({ id }, { name });
  }

  /** A new type or period, which clears the assertion's sign-off: what was signed spoke of the old period. */
  async setPeriod(tx: Tx, id: string, period: Pick<AuditEntity, 'type' | 'periodStart' | 'periodEnd'>): Promise<void> {
    await tx
      .getRepository(AuditEntity)
      .update({ id }, { ...period, assertionSignedBy: null, assertionSignedByName: null, assertionSignedAt: null });
  }

  /** A new assertion text, which clears any sign-off (the signed text is no longer the text). */
  async setAssertion(tx: Tx, id: string, text: string, by: string, at: string): Promise<void> {
    await tx.getRepository(AuditEntity).update(
      { id },
      {
        assertionText: text,
        assertionUpdatedBy: by,
        assertionUpdatedAt: at,
        assertionSignedBy: null,
        assertionSignedByName: null,
        assertionSignedAt: null,
      },
    );
  }

  /**
   * Signs off the assertion as it was read (same last edit, not yet signed): 409 when it was edited or signed off
   * meanwhile, so nobody signs a text they did not see.
   */
  async signOffAssertion(
    tx: Tx,
    id: string,
    seenUpdatedAt: string,
    signOff: { userId: string; name: string; at: string },
  ): Promise<void> {
    const changed = await compareAndSet(
      tx,
      AuditEntity,
      { id, assertionUpdatedAt: seenUpdatedAt, assertionSignedAt: IsNull() },
      { assertionSignedBy: signOff.userId, assertionSignedByName: signOff.name, assertionSignedAt: signOff.at },
    );
    if (!changed) throw conflict('The assertion was edited or signed off meanwhile; reload it and sign off again');
  }

  async replaceSystems(tx: Tx, auditId: string, systemIds: string[]): Promise<void> {
    await tx.getRepository(AuditSystemEntity).delete({ auditId });
    if (systemIds.length > 0)
      await tx.getRepository(AuditSystemEntity).insert(systemIds.map((systemId) => ({ auditId, systemId })));
  }

  async replaceAuditors(tx: Tx, auditId: string, userIds: string[]): Promise<void> {
    await tx.getRepository(AuditAuditorEntity).delete({ auditId });
    if (userIds.length > 0)
      await tx.getRepository(AuditAuditorEntity).insert(userIds.map((userId) => ({ auditId, userId })));
  }
}
