import { DataSource } from 'typeorm';
import type { AuditEvent, AuditLogService } from '../../src/audit-log/audit-log.service';
import { AuditLogEntryEntity } from '../../src/audit-log/entities/audit-log-entry.entity';
import type { CatalogIndex, CatalogSnapshot } from '../../src/catalog/catalog-index';
import type { Actor } from '../../src/common/auth.decorators';
import type { Clock } from '../../src/common/time';
import type { Tx, TransactionRunner } from '../../src/database/transaction-runner';
import type { Role } from '../../src/users/entities/user.entity';

/** Doubles for unit specs of services: a fixed clock, a transaction runner that tells commits from rollbacks, and an
 * audit log that records what each transaction appended. Repository fakes live beside each spec. */

export class FixedClock implements Clock {
  constructor(private at: Date) {}

  now(): Date {
    return new Date(this.at.getTime());
  }

  advance(ms: number): void {
    this.at = new Date(this.at.getTime() + ms);
  }
}

// Never initialised: its entity managers only serve as distinct transaction handles that fakes pass around.
const handles = new DataSource({ type: 'sqlite', database: ':memory:' });

export class FakeTransactionRunner implements Pick<TransactionRunner, 'run'> {
  readonly committed = new Set<Tx>();
  readonly rolledBack = new Set<Tx>();

  async run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const tx = handles.createEntityManager();
    try {
      const result = await work(tx);
      this.committed.add(tx);
      return result;
    } catch (error) {
      this.rolledBack.add(tx);
      throw error;
    }
  }
}

export class RecordingAuditLog implements Pick<AuditLogService, 'append'> {
  readonly appended: Array<{ tx: Tx; event: AuditEvent }> = [];

  constructor(private readonly runner: FakeTransactionRunner) {}

  append(tx: Tx, event: AuditEvent): Promise<AuditLogEntryEntity> {
    this.appended.push({ tx, event });
    return Promise.resolve(Object.assign(new AuditLogEntryEntity(), { seq: this.appended.length, ...event }));
  }

  /** The entries of committed transactions: what the chain holds afterwards. */
  committed(): AuditEvent[] {
    return this.appended.filter((a) => this.runner.committed.has(a.tx)).map((a) => a.event);
  }
}

export function actor(role: Role, id = `${role}-1`): Actor {
  return { id, email: `${id}@example.test`, displayName: id, role, sessionId: 's', csrfToken: 'c' };
}

/** A catalog snapshot with nothing in it but what a spec passes. */
export function catalogSnapshot(over: Partial<CatalogSnapshot> = {}): CatalogSnapshot {
  return {
    frameworks: [],
    frameworkByKey: new Map(),
    requirements: [],
    requirementById: new Map(),
    leavesByFramework: new Map(),
    controls: [],
    controlByCode: new Map(),
    mappingsByRequirement: new Map(),
    mappingsByControl: new Map(),
    coverage: { threshold: 7, jointSetsByRequirement: new Map() },
    ...over,
  };
}

export class FixedCatalogIndex implements Pick<CatalogIndex, 'get'> {
  constructor(public snapshot: CatalogSnapshot = catalogSnapshot()) {}

  get(): Promise<CatalogSnapshot> {
    return Promise.resolve(this.snapshot);
  }
}
