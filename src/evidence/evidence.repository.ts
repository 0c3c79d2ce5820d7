import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, IsNull } from 'typeorm';
import { conflict } from '../common/domain-errors';
import { compareAndSet, StatusColumn } from '../database/status-transition';
import { Tx } from '../database/transaction-runner';
import {
  EvidenceControlEntity,
  EvidenceEntity,
  EvidenceRequirementEntity,
  ReviewStatus,
} from './entities/evidence.entity';
import { reviewStatusMachine } from './review-status';
import { appendTo } from '../common/multimap';

const REVIEW_STATUS = new StatusColumn(EvidenceEntity, reviewStatusMachine, 'reviewStatus');

export interface EvidenceWithControls extends EvidenceEntity {
  controlCodes: string[];
  /** The requirements it names (ids); empty when it supports every requirement its controls map to. */
  requirementIds: string[];
  /** Upload time of the evidence that superseded this one (always of the same system), or null. */
  supersededAt: string | null;
}

@Injectable()
export class EvidenceRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findById(id: string, tx?: Tx): Promise<EvidenceEntity | null> {
    return (tx ?? this.dataSource.manager).getRepository(EvidenceEntity).findOneBy({ id });
  }

  async findControlCodes(evidenceId: string): Promise<string[]> {
    const rows = await this.dataSource
      .getRepository(EvidenceControlEntity)
      .find({ where: { evidenceId }, order: { controlCode: 'ASC' } });
    return rows.map((r) => r.controlCode);
  }

  /** These evidence items (in no particular order), each with the codes of the controls it is linked to. */
  async findWithControlCodes(ids: string[], tx: Tx): Promise<{ evidence: EvidenceEntity; controlCodes: string[] }[]> {
    if (ids.length === 0) return [];
    const [rows, links] = await Promise.all([
      tx.getRepository(EvidenceEntity).findBy({ id: In(ids) }),
      tx.getRepository(EvidenceControlEntity).findBy({ evidenceId: In(ids) }),
    ]);
    const codes = new Map<string, string[]>();
    for (const link of links) appendTo(codes, link.evidenceId, link.controlCode);
    return rows.map((evidence) => ({ evidence, controlCodes: codes.get(evidence.id) ?? [] }));
  }

  /** The requirements an evidence item names, as ids. */
  async findRequirementIds(evidenceId: string): Promise<string[]> {
    const rows = await this.dataSource.getRepository(EvidenceRequirementEntity).find({ where: { evidenceId } });
    return rows.map((r) => r.requirementId).sort();
  }

  /**
   * Accepted, not superseded evidence whose validity ends in [from, to), soonest first (all systems when systemIds
   * is null): the dashboard's "expiring soon".
   */
  findExpiring(from: string, to: string, systemIds: string[] | null, limit: number): Promise<EvidenceEntity[]> {
    if (systemIds?.length === 0) return Promise.resolve([]);
    const query = this.dataSource
      .getRepository(EvidenceEntity)
      .createQueryBuilder('e')
      .where("e.reviewStatus = 'accepted'")
      .andWhere('e.supersededById IS NULL')
      .andWhere('e.validUntil >= :from AND e.validUntil < :to', { from, to })
      .orderBy('e.validUntil', 'ASC')
      .addOrderBy('e.id', 'ASC')
      .take(limit);
    if (systemIds) query.andWhere('e.systemId IN (:...systemIds)', { systemIds });
    return query.getMany();
  }

  /** Every evidence item of the given systems with its control codes and named requirements: three indexed queries. */
  async findBySystems(systemIds: string[]): Promise<EvidenceWithControls[]> {
    if (systemIds.length === 0) return [];
    const evidence = await this.dataSource
      .getRepository(EvidenceEntity)
      .createQueryBuilder('e')
      .where('e.systemId IN (:...systemIds)', { systemIds })
      .orderBy('e.uploadedAt', 'ASC')
      .getMany();
    if (evidence.length === 0) return [];
    const links = await this.dataSource
      .getRepository(EvidenceControlEntity)
      .createQueryBuilder('l')
      .innerJoin(EvidenceEntity, 'e', 'e.id = l.evidenceId')
      .where('e.systemId IN (:...systemIds)', { systemIds })
      .getMany();
    const codes = new Map<string, string[]>();
    for (const link of links) appendTo(codes, link.evidenceId, link.controlCode);
    const named = await this.dataSource
      .getRepository(EvidenceRequirementEntity)
      .createQueryBuilder('r')
      .innerJoin(EvidenceEntity, 'e', 'e.id = r.evidenceId')
      .where('e.systemId IN (:...systemIds)', { systemIds })
      .getMany();
    const requirementIds = new Map<string, string[]>();
    for (const link of named) {
      const list = requirementIds.get(link.evidenceId);
      if (list) list.push(link.requirementId);
      else requirementIds.set(link.evidenceId, [link.requirementId]);
    }
    const uploadedAt = new Map(evidence.map((e) => [e.id, e.uploadedAt]));
    return evidence.map((e) =>
      Object.assign(e, {
        controlCodes: (codes.get(e.id) ?? []).sort(),
        requirementIds: (requirementIds.get(e.id) ?? []).sort(),
        supersededAt: e.supersededById ? (uploadedAt.get(e.supersededById) ?? null) : null,
      }),
    );
  }

  findAllHashes(): Promise<string[]> {
    return this.dataSource
      .getRepository(EvidenceEntity)
      .createQueryBuilder('e')
      .select('DISTINCT e.sha256', 'sha256')
      .getRawMany<{ sha256: string }>()
      .then((rows) => rows.map((r) => r.sha256));
  }

  async insert(tx: Tx, evidence: EvidenceEntity, controlCodes: string[], requirementIds: string[] = []): Promise<void> {
    await tx.getRepository(EvidenceEntity).insert(evidence);
    await tx
      .getRepository(EvidenceControlEntity)
      .insert(controlCodes.map((controlCode) => ({ evidenceId: evidence.id, controlCode })));
    if (requirementIds.length > 0) {
      await tx
        .getRepository(EvidenceRequirementEntity)
        .insert(requirementIds.map((requirementId) => ({ evidenceId: evidence.id, requirementId })));
    }
  }

  /** The review decision, taken on the status the reviewer saw: 409 when another review landed first. */
  review(
    tx: Tx,
    id: string,
    from: ReviewStatus,
    to: ReviewStatus,
    changes: Pick<EvidenceEntity, 'reviewedBy' | 'reviewedAt' | 'reviewComment'>,
  ): Promise<void> {
    return REVIEW_STATUS.move(tx, id, from, to, changes);
  }

  /** Marks evidence superseded by a newer upload, once: 409 when another upload superseded it first. */
  async markSuperseded(tx: Tx, id: string, supersededById: string): Promise<void> {
    if (!(await compareAndSet(tx, EvidenceEntity, { id, supersededById: IsNull() }, { supersededById }))) {
      throw conflict('That evidence has already been superseded');
    }
  }
}
