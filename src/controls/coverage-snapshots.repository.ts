import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CoverageSnapshotEntity } from './entities/coverage-snapshot.entity';

export interface FrameworkDay {
  day: string;
  framework: string;
  applicable: number;
  covered: number;
  partial: number;
  gap: number;
}

@Injectable()
export class CoverageSnapshotsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  hasDay(day: string): Promise<boolean> {
    return this.dataSource.getRepository(CoverageSnapshotEntity).existsBy({ day });
  }

  /**
   * Copies every current coverage summary as the day's snapshot, once: rows the day already has are left alone, so
   * instances drawing the dashboard at the same moment write each row once (ON CONFLICT DO NOTHING; SQLite needs the
   * WHERE to read ON CONFLICT as the upsert clause of an INSERT ... SELECT).
   */
  async snapshot(day: string): Promise<void> {
    const param = this.dataSource.options.type === 'postgres' ? '$1' : '?';
    await this.dataSource.query(
      `INSERT INTO "coverage_snapshots" ("day", "systemId", "framework", "applicable", "covered", "partial", "gap")
       SELECT ${param}, s."systemId", s."framework", s."applicable", s."covered", s."partial", s."gap"
       FROM "coverage_summaries" s WHERE 1 = 1
       ON CONFLICT DO NOTHING`,
      [day],
    );
  }

  /**
   * The days with a snapshot since a day, oldest first, found by one index seek per day (a loose scan of the primary
   * key, whose first column is the day) rather than by reading the rows: cheap enough to check on every view.
   */
  async daysSince(day: string): Promise<string[]> {
    const param = this.dataSource.options.type === 'postgres' ? '$1' : '?';
    const rows = await this.dataSource.query<{ day: string | null }[]>(
      `WITH RECURSIVE "days" ("day") AS (
         SELECT (SELECT MIN("day") FROM "coverage_snapshots" WHERE "day" >= ${param})
         UNION ALL
         SELECT (SELECT MIN(c."day") FROM "coverage_snapshots" c WHERE c."day" > d."day") FROM "days" d WHERE d."day" IS NOT NULL
       )
       SELECT "day" FROM "days" WHERE "day" IS NOT NULL`,
      [day],
    );
    return rows.map((r) => String(r.day));
  }

  /** Per day and framework since a day: the applicable and covered requirements summed over the systems. */
  async totalsSince(day: string): Promise<FrameworkDay[]> {
    const rows = await this.dataSource
      .getRepository(CoverageSnapshotEntity)
      .createQueryBuilder('c')
      .select('c.day', 'day')
      .addSelect('c.framework', 'framework')
      .addSelect('SUM(c.applicable)', 'applicable')
      .addSelect('SUM(c.covered)', 'covered')
      .addSelect('SUM(c.partial)', 'partial')
      .addSelect('SUM(c.gap)', 'gap')
      .where('c.day >= :day', { day })
      .groupBy('c.day')
      .addGroupBy('c.framework')
      .orderBy('c.day', 'ASC')
      .getRawMany<Record<'day' | 'framework' | 'applicable' | 'covered' | 'partial' | 'gap', string | number>>();
    return rows.map((r) => ({
      day: String(r.day),
      framework: String(r.framework),
      applicable: Number(r.applicable),
      covered: Number(r.covered),
      partial: Number(r.partial),
      gap: Number(r.gap),
    }));
  }
}
