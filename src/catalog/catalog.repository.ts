import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityTarget, IsNull, ObjectLiteral } from 'typeorm';
import { conflict } from '../common/domain-errors';
import { Tx } from '../database/transaction-runner';
import { CatalogVersionEntity } from './entities/catalog-version.entity';
import { isUniqueViolation } from '../database/unique-violation';
import {
  ControlEntity,
  ControlMappingEntity,
  FrameworkEntity,
  PolicyStateEntity,
  RequirementEntity,
} from './entities/catalog.entities';

export interface MappingRow {
  controlCode: string;
  requirementId: string;
  frameworkKey: string;
  ref: string;
  relationship: string;
  strength: number;
  rationale: string;
}

/**
 * Insert-or-update, one chunk after the other. Not repository.save(): it loads the existing rows of a chunk with
 * parallel queries on the transaction's one connection, which pg 8 warns about (and pg 9 will refuse). Not
 * repository.upsert() either: it merges the RETURNING rows back into the entities by position, which moved ids onto
 * neighbouring entities of a chunk; updateEntity(false) leaves the caller's objects as they were.
 */
async function upsertInChunks<E extends ObjectLiteral>(
  tx: Tx,
  entity: EntityTarget<E>,
  rows: E[],
  key: Array<keyof E & string>,
): Promise<void> {
  const metadata = tx.connection.getMetadata(entity);
  const conflict = key.map((path) => metadata.findColumnWithPropertyPath(path)!.databaseName);
  for (let i = 0; i < rows.length; i += 200) {
    const chunk = rows.slice(i, i + 200);
    // Like repository.upsert: overwrite only the columns some entity of the chunk sets.
    const overwrite = metadata.columns
      .filter((column) => chunk.some((row) => column.getEntityValue(row) !== undefined))
      .map((column) => column.databaseName);
    await tx
      .createQueryBuilder()
      .insert()
      .into(entity)
      .values(chunk)
      .orUpdate(overwrite, conflict)
      .updateEntity(false)
      .execute();
  }
}

@Injectable()
export class CatalogRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findPolicyState(name: string): Promise<PolicyStateEntity | null> {
    return this.dataSource.getRepository(PolicyStateEntity).findOneBy({ name });
  }

  async savePolicyState(tx: Tx, state: PolicyStateEntity): Promise<void> {
    await tx.getRepository(PolicyStateEntity).save(state);
  }

  /** One primary-key read: how CatalogIndex tells that some instance has written the catalog since its snapshot. */
  async findCatalogVersion(): Promise<number> {
    return (await this.dataSource.getRepository(CatalogVersionEntity).findOneBy({ id: 1 }))?.version ?? 0;
  }

  /** Every catalog write calls this in its transaction, so the change and the version that announces it commit together. */
  async markCatalogChanged(tx: Tx, at: string): Promise<void> {
    await tx
      .createQueryBuilder()
      .update(CatalogVersionEntity)
      .set({ version: () => '"version" + 1', changedAt: at })
      .where('id = :id', { id: 1 })
      .execute();
  }

  findFrameworks(): Promise<FrameworkEntity[]> {
    return this.dataSource.getRepository(FrameworkEntity).find({ order: { key: 'ASC' } });
  }

  findFramework(key: string): Promise<FrameworkEntity | null> {
    return this.dataSource.getRepository(FrameworkEntity).findOneBy({ key });
  }

  async saveFramework(tx: Tx, framework: FrameworkEntity): Promise<void> {
    await tx.getRepository(FrameworkEntity).save(framework);
  }

  /** Adds a framework that must not exist yet (an OSCAL import); an existing key is a conflict, also under a race. */
  async insertFramework(tx: Tx, framework: FrameworkEntity): Promise<void> {
    try {
      await tx.getRepository(FrameworkEntity).insert(framework);
    } catch (error) {
      if (isUniqueViolation(error))
        throw conflict(`A framework with key ${framework.key} already exists; import under another key`);
      throw error;
    }
  }

  findRequirementsOf(frameworkKey: string, tx?: Tx): Promise<RequirementEntity[]> {
    const manager = tx ?? this.dataSource.manager;
    return manager.getRepository(RequirementEntity).find({ where: { frameworkKey }, order: { position: 'ASC' } });
  }

  /** Current (not retired) requirements of every framework, in catalog order. */
  findActiveRequirements(): Promise<RequirementEntity[]> {
    return this.dataSource
      .getRepository(RequirementEntity)
      .find({ where: { retiredAt: IsNull() }, order: { frameworkKey: 'ASC', position: 'ASC' } });
  }

  async saveRequirements(tx: Tx, requirements: RequirementEntity[]): Promise<void> {
    await upsertInChunks(tx, RequirementEntity, requirements, ['id']);
  }

  findControls(tx?: Tx): Promise<ControlEntity[]> {
    const manager = tx ?? this.dataSource.manager;
    return manager.getRepository(ControlEntity).find({ order: { position: 'ASC' } });
  }

  findActiveControls(): Promise<ControlEntity[]> {
    return this.dataSource
      .getRepository(ControlEntity)
      .find({ where: { retiredAt: IsNull() }, order: { position: 'ASC' } });
  }

  findControl(code: string): Promise<ControlEntity | null> {
    return this.dataSource.getRepository(ControlEntity).findOneBy({ code });
  }

  async saveControls(tx: Tx, controls: ControlEntity[]): Promise<void> {
    await upsertInChunks(tx, ControlEntity, controls, ['code']);
  }

  findMappingEntities(tx: Tx): Promise<ControlMappingEntity[]> {
    return tx.getRepository(ControlMappingEntity).find();
  }

  async saveMappings(tx: Tx, mappings: ControlMappingEntity[]): Promise<void> {
    await upsertInChunks(tx, ControlMappingEntity, mappings, ['id']);
  }

  async deleteMappings(tx: Tx, ids: string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += 200)
      await tx.getRepository(ControlMappingEntity).delete(ids.slice(i, i + 200));
  }

  /** Every mapping with its requirement's framework and ref, optionally for one control or one framework. */
  findMappingRows(filter: { controlCode?: string; frameworkKey?: string } = {}): Promise<MappingRow[]> {
    const query = this.dataSource
      .getRepository(ControlMappingEntity)
      .createQueryBuilder('m')
      .innerJoin(RequirementEntity, 'r', 'r.id = m.requirementId')
      .select([
        'm.controlCode AS "controlCode"',
        'm.requirementId AS "requirementId"',
        'r.frameworkKey AS "frameworkKey"',
        'r.ref AS "ref"',
        'm.relationship AS "relationship"',
        'm.strength AS "strength"',
        'm.rationale AS "rationale"',
      ])
      .where('r.retiredAt IS NULL')
      .orderBy('m.controlCode', 'ASC')
      .addOrderBy('r.frameworkKey', 'ASC')
      .addOrderBy('r.position', 'ASC');
    if (filter.controlCode) query.andWhere('m.controlCode = :code', { code: filter.controlCode });
    if (filter.frameworkKey) query.andWhere('r.frameworkKey = :fw', { fw: filter.frameworkKey });
    return query
      .getRawMany<MappingRow>()
      .then((rows) => rows.map((row) => ({ ...row, strength: Number(row.strength) })));
  }
}
