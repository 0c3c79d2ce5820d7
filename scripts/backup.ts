/**
 * Online backup of the workbench, verified before it is called good.
 *
 *   npm run backup -- <destination-dir>       back up, then verify the copy (exit 1 on any problem)
 *   npm run backup -- --verify <backup-dir>   verify an existing backup only
 *
 * SQLite: `VACUUM INTO` writes a consistent snapshot while the app keeps running; the content-addressed evidence
 * files are copied after the snapshot (a file is always on disk before its row commits, so every row in the snapshot
 * finds its file). The copy is then opened and checked: PRAGMA integrity_check, the audit hash chain recomputed, and
 * every evidence row's file present with the right SHA-256.
 * PostgreSQL: the database is dumped with pg_dump (the script prints the exact commands); the script copies and
 * verifies the evidence directory and the audit chain through the live database.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { Database, OPEN_READONLY, OPEN_READWRITE } from 'sqlite3';
import { ChainLink, checkLinks, GENESIS_HASH } from '../src/audit-log/audit-chain';
import { AppConfig, ConfigError, loadConfig } from '../src/config/app.config';

const SHA256 = /^[0-9a-f]{64}$/;
const BATCH = 2000;

type Query = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

interface Report {
  problems: string[];
  lines: string[];
}

function sqlite(file: string, mode: number): Promise<{ query: Query; close: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const db = new Database(file, mode, (error) => {
      if (error) return reject(error);
      db.configure('busyTimeout', 10_000);
      resolve({
        query: (sql, params = []) => new Promise((ok, fail) => db.all(sql, params, (e, rows) => (e ? fail(e) : ok(rows as Record<string, unknown>[])))),
        close: () => new Promise((ok) => db.close(() => ok())),
      });
    });
  });
}

function evidencePath(root: string, sha256: string): string {
  return path.join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
}

function sha256Of(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    fs.createReadStream(file).on('error', reject).on('data', (c) => hash.update(c)).on('end', () => resolve(hash.digest('hex')));
  });
}

/** Every stored evidence file (ab/cd/<sha256>), temp files excluded. */
function listEvidence(root: string): string[] {
  const found: string[] = [];
  const dirs = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((d) => /^[0-9a-f]{2}$/.test(d)) : []);
  for (const a of dirs(root)) for (const b of dirs(path.join(root, a))) for (const f of fs.readdirSync(path.join(root, a, b))) if (SHA256.test(f)) found.push(f);
  return found;
}

/** Copies files the destination lacks; content-addressed, so an existing file of the same name is the same file. */
function copyEvidence(from: string, to: string): { copied: number; present: number } {
  let copied = 0;
  let present = 0;
  for (const sha256 of listEvidence(from)) {
    const target = evidencePath(to, sha256);
    if (fs.existsSync(target)) {
      present++;
      continue;
    }
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(evidencePath(from, sha256), target, fs.constants.COPYFILE_EXCL);
    copied++;
  }
  return { copied, present };
}

async function verifyChain(query: Query, report: Report): Promise<void> {
  let previous = { seq: 0, hash: GENESIS_HASH };
  let entries = 0;
  for (;;) {
    const rows = await query(
      'SELECT "seq", "at", "actor", "action", "entityType", "entityId", "payload", "payloadHash", "prevHash", "hash" FROM "audit_log" WHERE "seq" > $1 ORDER BY "seq" ASC LIMIT $2',
      [previous.seq, BATCH],
    );
    if (rows.length === 0) break;
    const links = rows.map((r) => ({ ...r, seq: Number(r.seq) }) as unknown as ChainLink);
    const problem = checkLinks(links, previous);
    if (problem) {
      report.problems.push(`audit chain broken at entry ${problem.seq}: ${problem.problem}`);
      return;
    }
    entries += links.length;
    previous = { seq: links[links.length - 1].seq, hash: links[links.length - 1].hash };
  }
  const [head] = await query('SELECT "seq", "hash" FROM "audit_log_head" WHERE "id" = 1');
  if (head && (Number(head.seq) !== previous.seq || head.hash !== previous.hash)) {
    report.problems.push(`audit chain ends at ${previous.seq} but the head records ${String(head.seq)}`);
    return;
  }
  report.lines.push(`audit chain: ${entries} entries, valid, head ${previous.seq} ${previous.hash.slice(0, 16)}...`);
}

async function verifyEvidence(query: Query, evidenceRoot: string, report: Report): Promise<void> {
  const rows = await query('SELECT DISTINCT "sha256" FROM "evidence"');
  let bad = 0;
  for (const row of rows) {
    const sha256 = String(row.sha256);
    const file = evidencePath(evidenceRoot, sha256);
    if (!SHA256.test(sha256) || !fs.existsSync(file)) {
      report.problems.push(`evidence file ${sha256} is missing from ${evidenceRoot}`);
      bad++;
    } else if ((await sha256Of(file)) !== sha256) {
      report.problems.push(`evidence file ${sha256} does not match its hash`);
      bad++;
    }
  }
  const [count] = await query('SELECT COUNT(*) AS "n" FROM "evidence"');
  report.lines.push(`evidence: ${Number(count.n)} rows, ${rows.length} distinct files checked, ${bad} bad`);
}

/** Opens a SQLite backup directory (workbench.sqlite + evidence/) and checks everything in it. */
export async function verifySqliteBackup(dir: string): Promise<Report> {
  const report: Report = { problems: [], lines: [] };
  const file = path.join(dir, 'workbench.sqlite');
  if (!fs.existsSync(file)) {
    report.problems.push(`${file} does not exist`);
    return report;
  }
  const db = await sqlite(file, OPEN_READONLY);
  // sqlite3 numbers its parameters ?1, ?2; the shared queries use PostgreSQL's $1, $2, which SQLite also accepts.
  try {
    const integrity = await db.query('PRAGMA integrity_check');
    const verdict = integrity.map((r) => String(r.integrity_check)).join('; ');
    if (verdict !== 'ok') report.problems.push(`integrity_check: ${verdict}`);
    else report.lines.push('integrity_check: ok');
    await verifyChain(db.query, report);
    await verifyEvidence(db.query, path.join(dir, 'evidence'), report);
  } finally {
    await db.close();
  }
  return report;
}

async function backupSqlite(config: AppConfig, dest: string): Promise<Report> {
  const target = path.join(dest, 'workbench.sqlite');
  if (fs.existsSync(target)) throw new Error(`${target} already exists: back up into a new, empty directory`);
  fs.mkdirSync(dest, { recursive: true });
  const started = Date.now();
  const db = await sqlite(config.database.sqlitePath, OPEN_READWRITE);
  try {
    await db.query('VACUUM INTO ?', [target]);
  } finally {
    await db.close();
  }
  const files = copyEvidence(config.evidenceDir, path.join(dest, 'evidence'));
  const report = await verifySqliteBackup(dest);
  report.lines.unshift(
    `database: ${config.database.sqlitePath} -> ${target} (${fs.statSync(target).size} bytes, VACUUM INTO)`,
    `evidence files: ${files.copied} copied, ${files.present} already present -> ${path.join(dest, 'evidence')}`,
  );
  report.lines.push(`took ${Date.now() - started} ms`);
  return report;
}

async function backupPostgres(config: AppConfig, dest: string): Promise<Report> {
  fs.mkdirSync(dest, { recursive: true });
  const dump = path.join(dest, 'workbench.dump');
  const report: Report = { problems: [], lines: [] };
  report.lines.push(
    'PostgreSQL: dump the database with the PostgreSQL client tools (same major version as the server):',
    `  pg_dump --format=custom --no-owner --file="${dump}" "$DATABASE_URL"`,
    '  restore into an empty database, with the app stopped:',
    `  pg_restore --no-owner --exit-on-error --dbname="$DATABASE_URL" "${dump}"`,
    'Take the dump right after this script: evidence files are copied first, so every row in the dump finds its file.',
  );
  const files = copyEvidence(config.evidenceDir, path.join(dest, 'evidence'));
  report.lines.push(`evidence files: ${files.copied} copied, ${files.present} already present -> ${path.join(dest, 'evidence')}`);
  const client = new Client({ connectionString: config.database.url });
  await client.connect();
  try {
    const query: Query = async (sql, params) => (await client.query(sql, params)).rows;
    await verifyChain(query, report);
    await verifyEvidence(query, path.join(dest, 'evidence'), report);
  } finally {
    await client.end();
  }
  return report;
}

async function main(argv: string[]): Promise<number> {
  const verifyOnly = argv[0] === '--verify';
  const dir = verifyOnly ? argv[1] : argv[0];
  if (!dir || dir.startsWith('--')) {
    process.stderr.write('usage: backup <destination-dir> | backup --verify <backup-dir>\n');
    return 2;
  }
  const dest = path.resolve(dir);
  let report: Report;
  if (verifyOnly) {
    report = await verifySqliteBackup(dest);
  } else {
    let config: AppConfig;
    try {
      config = loadConfig();
    } catch (error) {
      if (error instanceof ConfigError) {
        process.stderr.write(`Configuration error: ${error.message}\n`);
        return 2;
      }
      throw error;
    }
    report = config.database.kind === 'sqlite' ? await backupSqlite(config, dest) : await backupPostgres(config, dest);
  }
  for (const line of report.lines) process.stdout.write(`${line}\n`);
  if (report.problems.length) {
    for (const problem of report.problems) process.stderr.write(`PROBLEM: ${problem}\n`);
    process.stderr.write(`backup verification FAILED (${report.problems.length} problem(s))\n`);
    return 1;
  }
  process.stdout.write(`backup verified: ${dest}\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`backup failed: ${(error as Error).message}\n`);
      process.exit(1);
    },
  );
}
