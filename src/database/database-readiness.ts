import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { applySqlitePragmas } from './data-source-options';

// Any fixed number: PostgreSQL advisory locks are per database, so this one is the workbench's start-up lock there.
const STARTUP_LOCK_KEY = 7_305_202_611;

/**
 * Brings the schema up to date and sets SQLite's durability pragmas before any module reads data. Runs pending
 * migrations at start-up (never synchronize); a failed migration stops the app.
 */
@Injectable()
export class DatabaseReadiness implements OnModuleInit {
  private readonly logger = new Logger('Database');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.database.kind === 'sqlite') {
      await applySqlitePragmas(this.dataSource);
    }
    const applied = await this.underStartupLock(() => this.dataSource.runMigrations({ transaction: 'each' }));
    if (applied.length > 0)
      this.logger.log(`applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`);
  }

  /**
   * Runs start-up work (migrations, the policy load, the first admin) one instance at a time. PostgreSQL: under a
   * session advisory lock held on a connection of its own, so instances started together wait for each other and
   * find the work done; the lock goes with the session if the instance dies. SQLite: one process per file, no lock.
   */
  async underStartupLock<T>(work: () => Promise<T>): Promise<T> {
    if (this.config.database.kind !== 'postgres') return work();
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.query('SELECT pg_advisory_lock($1)', [STARTUP_LOCK_KEY]);
      try {
        return await work();
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [STARTUP_LOCK_KEY]);
      }
    } finally {
      await runner.release();
    }
  }

  async ping(): Promise<boolean> {
    try {
      await this.dataSource.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }
}
