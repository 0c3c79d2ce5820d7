import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { ExternalCrosswalkLinkEntity, ExternalCrosswalkSourceEntity } from './entities/external-crosswalk.entity';

/** Rows per INSERT: well under SQLite's 999 bound parameters (11 columns a row). */
const CHUNK = 80;

@Injectable()
export class ExternalCrosswalkRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(
    tx: EntityManager,
    source: ExternalCrosswalkSourceEntity,
    links: ExternalCrosswalkLinkEntity[],
  ): Promise<void> {
    await tx.getRepository(ExternalCrosswalkSourceEntity).insert(source);
    for (let i = 0; i < links.length; i += CHUNK)
      await tx.getRepository(ExternalCrosswalkLinkEntity).insert(links.slice(i, i + CHUNK));
  }

  /** The imported links from one framework to another, with their sources, oldest import first. */
  async linksBetween(
    from: string,
    to: string,
  ): Promise<{ sources: ExternalCrosswalkSourceEntity[]; links: ExternalCrosswalkLinkEntity[] }> {
    const links = await this.dataSource.getRepository(ExternalCrosswalkLinkEntity).find({
      where: { fromFramework: from, toFramework: to },
      order: { sourceId: 'ASC', position: 'ASC', id: 'ASC' },
    });
    const ids = [...new Set(links.map((l) => l.sourceId))];
    const sources = ids.length
      ? await this.dataSource.getRepository(ExternalCrosswalkSourceEntity).find({
          where: { id: In(ids) },
          order: { importedAt: 'ASC', id: 'ASC' },
        })
      : [];
    return { sources, links };
  }
}
