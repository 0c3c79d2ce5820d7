import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, LessThan, MoreThan } from 'typeorm';
import { bulkInsert } from '../database/bulk-insert';
import { transactionMemo, Tx } from '../database/transaction-runner';
import { AuditLogEntryEntity, AuditLogHeadEntity } from './entities/audit-log-entry.entity';

// The entity types and tables other modules write (ai_system, control_implementation, evidence, evidence_pack, audit).
const AUDITOR_SCOPE = `EXISTS (
  SELECT 1 FROM audit_auditors aa INNER JOIN audits a ON a.id = aa."auditId"
  WHERE aa."userId" = :auditorId AND (
    (e."entityType" = 'audit' AND e."entityId" = a.id)
    OR (e."entityType" = 'evidence_pack' AND EXISTS (SELECT 1 FROM evidence_packs p WHERE p.id = e."entityId" AND p."auditId" = a.id))
    OR (e."at" >= a."periodStart" AND e."at" <= a."periodEnd" AND EXISTS (
      SELECT 1 FROM audit_systems s WHERE s."auditId" = a.id AND (
        (e."entityType" = 'ai_system' AND e."entityId" = s."systemId")
        OR (e."entityType" = 'control_implementation' AND EXISTS (SELECT 1 FROM control_implementations ci WHERE ci.id = e."entityId" AND ci."systemId" = s."systemId"))
        OR (e."entityType" = 'evidence' AND EXISTS (SELECT 1 FROM evidence ev WHERE ev.id = e."entityId" AND ev."systemId" = s."systemId"))
        OR (e."entityType" = 'evidence_pack' AND EXISTS (SELECT 1 FROM evidence_packs sp WHERE sp.id = e."entityId" AND sp."systemId" = s."systemId"))
      )
    ))
  )
)`;

/** The head as the current transaction last moved it (see lockHead); the only writer of the head is insert(). */
const HEAD = Symbol('audit-log head');

/** Appends and reads; there is deliberately no method that updates or deletes an entry. */
@Injectable()
export class AuditLogRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Reads the head under a row lock (PostgreSQL), so concurrent appends from any instance queue behind it. Once per
   * transaction: the head this transaction last moved is kept in its memo (on SQLite the group's works append one
   * after another under SQLite's one write lock, on PostgreSQL the row lock is held to the end), which saves a read on
   * the SQLite writer's serial path for every work of a group after the first (issue 18.4).
   */
  async lockHead(tx: Tx): Promise<AuditLogHeadEntity> {
    const known = transactionMemo(tx).get(HEAD) as AuditLogHeadEntity | undefined;
    if (known) return { ...known };
    const query = tx.getRepository(AuditLogHeadEntity).createQueryBuilder('head').where('head.id = 1');
    if (tx.connection.options.type === 'postgres') query.setLock('pessimistic_write');
    const head = await query.getOne();
    if (!head) throw new Error('audit_log_head row is missing; the initial migration creates it');
    return head;
  }

  /**
   * The entry and the head's move, in statements whose text is the same for every entry (TypeORM's builders write
   * the seq into the text), so SQLite's write connection keeps them prepared (see sqlite-statement-cache).
   */
  async insert(tx: Tx, entry: AuditLogEntryEntity): Promise<void> {
    await bulkInsert(tx, AuditLogEntryEntity, [entry]);
    const postgres = tx.connection.options.type === 'postgres';
    await tx.query(
      `UPDATE "audit_log_head" SET "seq" = ${postgres ? '$1' : '?'}, "hash" = ${postgres ? '$2' : '?'} WHERE "id" = 1`,
      [entry.seq, entry.hash],
    );
    const head: AuditLogHeadEntity = { id: 1, seq: entry.seq, hash: entry.hash };
    transactionMemo(tx).set(HEAD, head);
  }

  findHead(): Promise<AuditLogHeadEntity | null> {
    return this.dataSource.getRepository(AuditLogHeadEntity).findOneBy({ id: 1 });
  }

  findBatchAfter(seq: number, limit: number): Promise<AuditLogEntryEntity[]> {
    return this.dataSource
      .getRepository(AuditLogEntryEntity)
      .find({ where: { seq: MoreThan(seq) }, order: { seq: 'ASC' }, take: limit });
  }

  findBySeq(seq: number): Promise<AuditLogEntryEntity | null> {
    return this.dataSource.getRepository(AuditLogEntryEntity).findOneBy({ seq });
  }

  /**
   * One page, newest first. With auditorId, only entries about the audits that user is assigned to: the audit itself
   * and its packs at any time; its systems, their control implementations, evidence and system packs only when the
   * entry falls within the audit's period. Users, sessions, tasks, policies and catalogs never match.
   */
  findPage(
    filter: { entityType?: string; entityId?: string; beforeSeq?: number; auditorId?: string },
    limit: number,
  ): Promise<AuditLogEntryEntity[]> {
    const query = this.dataSource
      .getRepository(AuditLogEntryEntity)
      .createQueryBuilder('e')
      .orderBy('e.seq', 'DESC')
      .take(limit);
    if (filter.entityType) query.andWhere('e.entityType = :entityType', { entityType: filter.entityType });
    if (filter.entityId) query.andWhere('e.entityId = :entityId', { entityId: filter.entityId });
    if (filter.beforeSeq) query.andWhere('e.seq < :beforeSeq', { beforeSeq: filter.beforeSeq });
    if (filter.auditorId) query.andWhere(AUDITOR_SCOPE, { auditorId: filter.auditorId });
    return query.getMany();
  }

  /**
   * The entries a pack's bundle carries, seq 1..maxSeq: the pack itself, the audit and its packs at any time, and
   * the entries about the scope's systems (the audit's, or the system pack's one), their control implementations,
   * evidence and system packs: within the audit's period, or up to the system pack's as-of. The same reach as an
   * auditor's view of the log (AUDITOR_SCOPE).
   */
  findExtract(scope: {
    packId: string;
    auditId: string | null;
    systemId: string | null;
    asOf: string;
    maxSeq: number;
  }): Promise<AuditLogEntryEntity[]> {
    const inScope = (column: string) =>
      scope.auditId
        ? `${column} IN (SELECT s."systemId" FROM audit_systems s WHERE s."auditId" = :auditId)`
        : `${column} = :systemId`;
    const period = scope.auditId
      ? `EXISTS (SELECT 1 FROM audits a WHERE a.id = :auditId AND e."at" >= a."periodStart" AND e."at" <= a."periodEnd")`
      : `e."at" <= :asOf`;
    return this.dataSource
      .getRepository(AuditLogEntryEntity)
      .createQueryBuilder('e')
      .where('e.seq <= :maxSeq', { maxSeq: scope.maxSeq })
      .andWhere(
        `(
        (e."entityType" = 'evidence_pack' AND e."entityId" = :packId)
        OR (e."entityType" = 'audit' AND e."entityId" = :auditId)
        OR (e."entityType" = 'evidence_pack' AND EXISTS (SELECT 1 FROM evidence_packs p WHERE p.id = e."entityId" AND p."auditId" = :auditId))
        OR (${period} AND (
          (e."entityType" = 'ai_system' AND ${inScope('e."entityId"')})
          OR (e."entityType" = 'control_implementation' AND EXISTS (SELECT 1 FROM control_implementations ci WHERE ci.id = e."entityId" AND ${inScope('ci."systemId"')}))
          OR (e."entityType" = 'evidence' AND EXISTS (SELECT 1 FROM evidence ev WHERE ev.id = e."entityId" AND ${inScope('ev."systemId"')}))
          OR (e."entityType" = 'evidence_pack' AND EXISTS (SELECT 1 FROM evidence_packs sp WHERE sp.id = e."entityId" AND ${inScope('sp."systemId"')}))
        ))
      )`,
        { packId: scope.packId, auditId: scope.auditId ?? '', systemId: scope.systemId ?? '', asOf: scope.asOf },
      )
      .orderBy('e.seq', 'ASC')
      .getMany();
  }

  /** The lowest seq below the given one, or null: rows there are outside the chain. */
  async findLowestSeqBelow(seq: number): Promise<number | null> {
    const row = await this.dataSource
      .getRepository(AuditLogEntryEntity)
      .findOne({ where: { seq: LessThan(seq) }, order: { seq: 'ASC' }, select: { seq: true } });
    return row?.seq ?? null;
  }
}
