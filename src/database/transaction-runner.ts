import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app.config';

/** An opaque unit of work handed from services to repositories; only repositories look inside. */
export type Tx = EntityManager;

/**
 * Runs write transactions. On SQLite every transaction goes through one in-process queue: the driver shares a
 * single connection, so two interleaved BEGINs would fail, and queueing means concurrent requests wait instead of
 * seeing SQLITE_BUSY. PostgreSQL transactions run concurrently; row locks serialise what must be serial.
 */
@Injectable()
export class TransactionRunner {
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Writers currently queued (SQLite only); used to shed load before the queue grows without bound. */
  get queueDepth(): number {
    return this.waiting;
  }

  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    if (this.config.database.kind !== 'sqlite') return this.dataSource.transaction(work);
    this.waiting++;
    const result = this.tail.then(() => this.dataSource.transaction(work));
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result.finally(() => {
      this.waiting--;
    });
  }
}
