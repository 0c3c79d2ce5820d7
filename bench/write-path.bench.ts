/**
 * Write-path benchmark (issue 18.4): prints figures, asserts nothing.
 *
 *   npx ts-node --transpile-only bench/write-path.bench.ts [seconds] [rounds]
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof -r ts-node/register/transpile-only bench/write-path.bench.ts 10 1
 *
 * Boots the app listening on 127.0.0.1 (SQLite in a temp directory, or a fresh PostgreSQL database beside
 * DATABASE_URL) and, `rounds` times (default 3) in turn:
 *   - POST /api/v1/systems with 20 connections for `seconds` (default 8), the load generator in its own process
 *     (autocannon's CLI); 5xx answers are counted apart;
 *   - on SQLite, a raw sqlite3 loop on its own connection to the same file with the same transaction shape as one
 *     create: BEGIN, INSERT the system, INSERT its control implementations and their status-history rows (one
 *     multi-row statement each; fresh ids, time-ordered for those rows as the app's are), read the audit head,
 *     INSERT the chained entry (hashed by the app's linkHash), UPDATE the head, COMMIT; one transaction after another
 *     for `seconds`.
 * Then prints the medians and their ratio, and verifies the whole audit chain (both writers append to it).
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import * as sqlite3 from 'sqlite3';
import { linkHash, payloadText } from '../src/audit-log/audit-chain';
import { AuditLogService } from '../src/audit-log/audit-log.service';
import { sha256Hex } from '../src/common/canonical-json';
import { timeOrderedId } from '../src/common/time-ordered-id';
import { minimalSystem } from '../test/factories/systems';
import { startTestApp } from '../test/factories/test-app';

const SECONDS = Number(process.argv[2] ?? 8);
const ROUNDS = Number(process.argv[3] ?? 3);
const CONNECTIONS = 20;

type Row = Record<string, unknown>;

interface AutocannonJson {
  latency: { p50: number; p99: number };
  requests: { average: number; total: number };
  '2xx': number;
  '4xx': number;
  '5xx': number;
  errors: number;
  timeouts: number;
}

async function loadPost(url: string, token: string) {
  const args = [require.resolve('autocannon/autocannon.js'), '-j', '-n', '-c', String(CONNECTIONS)];
  args.push('-d', String(SECONDS), '-m', 'POST', '-H', `Authorization=Bearer ${token}`);
  args.push('-H', 'Content-Type=application/json', '-b', JSON.stringify(minimalSystem({ name: 'Write bench' })), url);
  const { stdout } = await promisify(execFile)(process.execPath, args, { maxBuffer: 64 * 1024 * 1024 });
  const result = JSON.parse(stdout) as AutocannonJson;
  return {
    'req/s': Math.round(result.requests.average),
    'p50 ms': result.latency.p50,
    'p99 ms': result.latency.p99,
    '2xx': result['2xx'],
    '4xx': result['4xx'],
    '5xx': result['5xx'],
    errors: result.errors + result.timeouts,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

class RawSqlite {
  private constructor(private readonly db: sqlite3.Database) {}

  static open(file: string): Promise<RawSqlite> {
    return new Promise((resolve, reject) => {
      const db = new sqlite3.Database(file, (error) => (error ? reject(error) : resolve(new RawSqlite(db))));
    });
  }

  run(sql: string, params: unknown[] = []): Promise<void> {
    return new Promise((resolve, reject) => this.db.run(sql, params, (error) => (error ? reject(error) : resolve())));
  }

  all<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return new Promise((resolve, reject) =>
      this.db.all(sql, params, (error, rows) => (error ? reject(error) : resolve(rows as T[]))),
    );
  }

  insert(table: string, rows: Row[]): Promise<void> {
    const columns = Object.keys(rows[0]);
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    return this.run(
      `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ${rows.map(() => tuple).join(', ')}`,
      rows.flatMap((row) => columns.map((c) => row[c])),
    );
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => this.db.close((error) => (error ? reject(error) : resolve())));
  }
}

/** One create's transaction, copied from a system the app made: the same rows, fresh ids. */
async function rawLoop(file: string, template: { system: Row; implementations: Row[]; changes: Row[] }) {
  const db = await RawSqlite.open(file);
  await db.run('PRAGMA busy_timeout = 10000');
  const deadline = Date.now() + SECONDS * 1000;
  let transactions = 0;
  try {
    while (Date.now() < deadline) {
      const systemId = randomUUID();
      const now = new Date().toISOString();
      const implementations = template.implementations.map((row) => ({ ...row, id: timeOrderedId(), systemId }));
      const changes = template.changes.map((row, i) => ({
        ...row,
        id: timeOrderedId(),
        implementationId: implementations[i % implementations.length].id,
      }));
      await db.run('BEGIN IMMEDIATE');
      await db.insert('ai_systems', [{ ...template.system, id: systemId, name: `Raw ${transactions}` }]);
      if (implementations.length) {
        await db.insert('control_implementations', implementations);
        await db.insert('control_status_changes', changes);
      }
      const [head] = await db.all<{ seq: number; hash: string }>(
        'SELECT "seq", "hash" FROM "audit_log_head" WHERE "id" = 1',
      );
      const payload = payloadText({ id: systemId, implementationsCreated: implementations.length });
      const entry = {
        seq: head.seq + 1,
        at: now,
        actor: 'raw-bench',
        action: 'system.create',
        entityType: 'ai_system',
        entityId: systemId,
        payload,
        payloadHash: sha256Hex(payload),
        prevHash: head.hash,
      };
      const hash = linkHash(entry);
      await db.insert('audit_log', [{ ...entry, hash }]);
      await db.run('UPDATE "audit_log_head" SET "seq" = ?, "hash" = ? WHERE "id" = 1', [entry.seq, hash]);
      await db.run('COMMIT');
      transactions++;
    }
  } finally {
    await db.close();
  }
  return { 'req/s': Math.round(transactions / SECONDS), transactions };
}

async function main() {
  const t = await startTestApp({ listen: true });
  try {
    const { port } = (t.app.getHttpServer() as http.Server).address() as AddressInfo;
    const url = `http://127.0.0.1:${port}/api/v1/systems`;
    const token = t.users.governance_specialist.token;
    const created = await fetch(url, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(minimalSystem({ name: 'Write bench template' })),
    });
    if (created.status !== 201) throw new Error(`creating the system answered ${created.status}`);
    const systemId = ((await created.json()) as { id: string }).id;
    const sqlite = t.database.kind === 'sqlite';
    const param = sqlite ? '?' : '$1';
    const query = (sql: string) => t.dataSource.query<Row[]>(sql, [systemId]);
    const template = {
      system: (await query(`SELECT * FROM "ai_systems" WHERE "id" = ${param}`))[0],
      implementations: await query(`SELECT * FROM "control_implementations" WHERE "systemId" = ${param}`),
      changes: await query(
        `SELECT c.* FROM "control_status_changes" c JOIN "control_implementations" i ON i."id" = c."implementationId" WHERE i."systemId" = ${param}`,
      ),
    };
    console.log(
      `database: ${t.database.kind}; ${CONNECTIONS} connections, ${SECONDS} s per run, ${ROUNDS} rounds interleaved; ` +
        `one create = 1 system + ${template.implementations.length} implementations + ${template.changes.length} status rows + 1 audit entry`,
    );
    const rows: Row[] = [];
    const app: number[] = [];
    const raw: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const result = await loadPost(url, token);
      app.push(result['req/s']);
      rows.push({ round, label: 'POST /api/v1/systems (app)', ...result });
      if (sqlite) {
        const rawResult = await rawLoop(t.database.env.WORKBENCH_SQLITE_PATH ?? t.config.database.sqlitePath, template);
        raw.push(rawResult['req/s']);
        rows.push({ round, label: 'raw sqlite3 loop, same transaction', ...rawResult });
      }
    }
    console.table(rows);
    const appMedian = median(app);
    console.log(`POST /api/v1/systems median: ${appMedian} req/s`);
    if (raw.length) {
      const rawMedian = median(raw);
      console.log(
        `raw sqlite3 transaction median: ${rawMedian} tx/s; app / raw = ${(appMedian / rawMedian).toFixed(2)}x`,
      );
    }
    const chain = await t.app.get(AuditLogService).verify();
    console.log(
      `audit chain after the run: valid ${chain.valid}, ${chain.entries} entries${chain.problem ? `, ${chain.problem}` : ''}`,
    );
  } finally {
    await t.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
