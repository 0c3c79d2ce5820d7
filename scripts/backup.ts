/**
 * Online backup of the workbench, verified before it is called good.
 *
 *   npm run backup -- <destination-dir>       back up, then verify the copy (exit 1 on any problem)
 *   npm run backup -- --verify <backup-dir>   verify an existing backup only
 *
 * SQLite: `VACUUM INTO` writes a consistent snapshot while the app keeps running; the content-addressed evidence
 * files and the rendered pack files are copied after the snapshot (a file is always on disk before its row commits,
 * so every row in the snapshot finds its file), and so is the audit checkpoint key (0600). A checkpoint of the
 * snapshot's head is signed with that key into audit-checkpoint.json. The copy is then opened and checked: PRAGMA
 * integrity_check, the audit hash chain recomputed, every evidence row's file and every ready pack's files present
 * with the right SHA-256, and the checkpoint verified with the copied key against the copied log, as the restored
 * app will verify the checkpoints issued before the backup.
 * PostgreSQL: the database is dumped with pg_dump (the script prints the exact commands); the script copies the
 * evidence, pack files and key and verifies them and the audit chain through the live database.
 *
 * Everything written is private: directories 0700, the database, key and checkpoint 0600, stored files 0400.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { Database, OPEN_READONLY, OPEN_READWRITE } from 'sqlite3';
import {
  CHECKPOINT_KEY_FILE,
  ChainLink,
  checkLinks,
  checkpointSignature,
  checkpointSignatureMatches,
  GENESIS_HASH,
} from '../src/audit-log/audit-chain';
import { makePrivateDir, PRIVATE_FILE_MODE, READ_ONLY_FILE_MODE } from '../src/common/private-files';
import { AppConfig, ConfigError, loadConfig } from '../src/config/app.config';
import type { PackManifest } from '../src/evidence-packs/pack-manifest';
import { SIGNING_KEY_FILE } from '../src/signing/signing-keys';

const SHA256 = /^[0-9a-f]{64}$/;
const BATCH = 2000;
const CHECKPOINT_FILE = 'audit-checkpoint.json';
const PARTIAL = /^\..+\.part$/;

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
        query: (sql, params = []) =>
          new Promise((ok, fail) =>
            db.all(sql, params, (e, rows) => (e ? fail(e) : ok(rows as Record<string, unknown>[]))),
          ),
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
    fs.createReadStream(file)
      .on('error', reject)
      .on('data', (c) => hash.update(c))
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** Every stored evidence file (ab/cd/<sha256>), temp files excluded. */
function listEvidence(root: string): string[] {
  const found: string[] = [];
  const dirs = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((d) => /^[0-9a-f]{2}$/.test(d)) : []);
  for (const a of dirs(root))
    for (const b of dirs(path.join(root, a)))
      for (const f of fs.readdirSync(path.join(root, a, b))) if (SHA256.test(f)) found.push(f);
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
    copyReadOnly(evidencePath(from, sha256), target);
    copied++;
  }
  return { copied, present };
}

function copyReadOnly(from: string, to: string): void {
  makePrivateDir(path.dirname(to));
  fs.copyFileSync(from, to, fs.constants.COPYFILE_EXCL);
  fs.chmodSync(to, READ_ONLY_FILE_MODE);
}

/** packs/<id>.pdf and packs/<id>/<document>, without the partial files of renders in progress. */
function copyPacks(from: string, to: string): number {
  let copied = 0;
  const walk = (dir: string, depth: number) => {
    for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
      const source = path.join(dir, entry.name);
      if (entry.isDirectory() && depth === 0) walk(source, 1);
      if (!entry.isFile() || PARTIAL.test(entry.name)) continue;
      copyReadOnly(source, path.join(to, path.relative(from, source)));
      copied++;
    }
  };
  walk(from, 0);
  return copied;
}

/** The checkpoint key file, copied 0600; nothing to copy when WORKBENCH_AUDIT_KEY holds it or none was made yet. */
function copyCheckpointKey(config: AppConfig, dest: string): { key: Buffer | null; line: string } {
  if (config.auditKey) {
    return {
      key: Buffer.from(config.auditKey, 'hex'),
      line: 'checkpoint key: WORKBENCH_AUDIT_KEY (not copied: keep it with your secrets, a restore needs it)',
    };
  }
  const source = path.join(config.dataDir, CHECKPOINT_KEY_FILE);
  if (!fs.existsSync(source))
    return { key: null, line: `checkpoint key: none yet (${source} is created with the first checkpoint)` };
  const target = path.join(dest, CHECKPOINT_KEY_FILE);
  fs.copyFileSync(source, target, fs.constants.COPYFILE_EXCL);
  fs.chmodSync(target, PRIVATE_FILE_MODE);
  return { key: keyFrom(target), line: `checkpoint key: ${source} -> ${target} (0600)` };
}

/**
 * The Ed25519 signing key (bundles, audit-log checkpoints), copied 0600: a restore without it signs with a new key,
 * and the old public key stays listed. Nothing to copy when WORKBENCH_SIGNING_KEY holds it.
 */
function copySigningKey(config: AppConfig, dest: string): string {
  if (config.signingKeyPem)
    return 'signing key: WORKBENCH_SIGNING_KEY (not copied: keep it with your secrets, every instance needs it)';
  const source = path.join(config.dataDir, SIGNING_KEY_FILE);
  if (!fs.existsSync(source)) return `signing key: none yet (${source} is created at first start)`;
  const target = path.join(dest, SIGNING_KEY_FILE);
  fs.copyFileSync(source, target, fs.constants.COPYFILE_EXCL);
  fs.chmodSync(target, PRIVATE_FILE_MODE);
  return `signing key: ${source} -> ${target} (0600)`;
}

function keyFrom(file: string): Buffer {
  return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
}

/** Signs the head the backup holds, as GET /api/v1/audit-log/checkpoint would: proof the restored log is this one. */
async function writeCheckpoint(query: Query, key: Buffer | null, dest: string, report: Report): Promise<void> {
  if (!key) return;
  const [head] = await query('SELECT "seq", "hash" FROM "audit_log_head" WHERE "id" = 1');
  const seq = head ? Number(head.seq) : 0;
  const hash = head ? String(head.hash) : GENESIS_HASH;
  const at = new Date().toISOString();
  const checkpoint = { seq, hash, at, algorithm: 'HMAC-SHA256', signature: checkpointSignature(key, seq, hash, at) };
  fs.writeFileSync(path.join(dest, CHECKPOINT_FILE), `${JSON.stringify(checkpoint, null, 2)}\n`, {
    mode: PRIVATE_FILE_MODE,
    flag: 'wx',
  });
  report.lines.push(`checkpoint: head ${seq} signed into ${path.join(dest, CHECKPOINT_FILE)}`);
}

/**
 * The backup's checkpoint against the backup's key (or WORKBENCH_AUDIT_KEY) and log: it verifies exactly when the
 * restored app will accept checkpoints issued before the backup.
 */
async function verifyCheckpoint(query: Query, dir: string, envKey: Buffer | null, report: Report): Promise<void> {
  const file = path.join(dir, CHECKPOINT_FILE);
  if (!fs.existsSync(file)) {
    report.lines.push('checkpoint: none in this backup (no checkpoint key existed when it was taken)');
    return;
  }
  const keyFile = path.join(dir, CHECKPOINT_KEY_FILE);
  const key = fs.existsSync(keyFile) ? keyFrom(keyFile) : envKey;
  if (!key) {
    report.problems.push(`checkpoint cannot be verified: ${keyFile} is missing and WORKBENCH_AUDIT_KEY is not set`);
    return;
  }
  if (fs.existsSync(keyFile) && (fs.statSync(keyFile).mode & 0o077) !== 0)
    report.problems.push(`${keyFile} is readable by other users (chmod 600)`);
  const checkpoint = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    seq: number;
    hash: string;
    at: string;
    signature: string;
  };
  if (!checkpointSignatureMatches(key, checkpoint)) {
    report.problems.push(
      'checkpoint signature does not match the checkpoint key: checkpoints issued before the backup will not verify after a restore',
    );
    return;
  }
  const [entry] =
    checkpoint.seq === 0
      ? [{ hash: GENESIS_HASH }]
      : await query('SELECT "hash" FROM "audit_log" WHERE "seq" = $1', [checkpoint.seq]);
  if (!entry || entry.hash !== checkpoint.hash) {
    report.problems.push(
      `checkpoint names entry ${checkpoint.seq}, which the backed-up log ${entry ? 'holds with another hash' : 'does not hold'}`,
    );
    return;
  }
  report.lines.push(`checkpoint: head ${checkpoint.seq} verified with the backed-up key`);
}

/** Every ready pack's PDF and documents, present under <dir>/packs with the SHA-256 its row records. */
async function verifyPacks(query: Query, packsRoot: string, report: Report): Promise<void> {
  const rows = await query('SELECT "id", "pdfSha256", "manifest" FROM "evidence_packs" WHERE "status" = \'ready\'');
  let files = 0;
  let bad = 0;
  const check = async (file: string, sha256: string, what: string) => {
    files++;
    if (!fs.existsSync(file)) {
      report.problems.push(`${what} is missing from ${packsRoot}`);
      bad++;
    } else if ((await sha256Of(file)) !== sha256) {
      report.problems.push(`${what} does not match its hash`);
      bad++;
    }
  };
  for (const row of rows) {
    const id = String(row.id);
    await check(path.join(packsRoot, `${id}.pdf`), String(row.pdfSha256), `pack ${id} PDF`);
    const manifest = JSON.parse(String(row.manifest)) as PackManifest;
    for (const document of manifest.files.filter((f) => !f.evidenceId)) {
      await check(
        path.join(packsRoot, id, path.basename(document.path)),
        document.sha256,
        `pack ${id} ${document.path}`,
      );
    }
  }
  report.lines.push(`packs: ${rows.length} ready, ${files} files checked, ${bad} bad`);
}

/** WORKBENCH_AUDIT_KEY, for verifying backups of installations that keep the key there. */
function environmentKey(): Buffer | null {
  try {
    const key = loadConfig().auditKey;
    return key ? Buffer.from(key, 'hex') : null;
  } catch {
    return null;
  }
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

/** Opens a SQLite backup directory (workbench.sqlite, evidence/, packs/, key, checkpoint) and checks everything in it. */
export async function verifySqliteBackup(dir: string, envKey: Buffer | null = environmentKey()): Promise<Report> {
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
    await verifyPacks(db.query, path.join(dir, 'packs'), report);
    await verifyCheckpoint(db.query, dir, envKey, report);
  } finally {
    await db.close();
  }
  return report;
}

async function backupSqlite(config: AppConfig, dest: string): Promise<Report> {
  const target = path.join(dest, 'workbench.sqlite');
  if (fs.existsSync(target)) throw new Error(`${target} already exists: back up into a new, empty directory`);
  makePrivateDir(dest);
  const started = Date.now();
  // VACUUM INTO fills an empty file and keeps its mode; created by SQLite itself it would be world-readable.
  fs.closeSync(fs.openSync(target, 'wx', PRIVATE_FILE_MODE));
  const db = await sqlite(config.database.sqlitePath, OPEN_READWRITE);
  try {
    await db.query('VACUUM INTO ?', [target]);
  } finally {
    await db.close();
  }
  const files = copyEvidence(config.evidenceDir, path.join(dest, 'evidence'));
  const packFiles = copyPacks(path.join(config.dataDir, 'packs'), path.join(dest, 'packs'));
  const key = copyCheckpointKey(config, dest);
  const signingKeyLine = copySigningKey(config, dest);
  const written: Report = { problems: [], lines: [] };
  const copy = await sqlite(target, OPEN_READONLY);
  try {
    await writeCheckpoint(copy.query, key.key, dest, written);
  } finally {
    await copy.close();
  }
  const report = await verifySqliteBackup(dest, config.auditKey ? Buffer.from(config.auditKey, 'hex') : null);
  report.lines.unshift(
    `database: ${config.database.sqlitePath} -> ${target} (${fs.statSync(target).size} bytes, VACUUM INTO)`,
    `evidence files: ${files.copied} copied, ${files.present} already present -> ${path.join(dest, 'evidence')}`,
    `pack files: ${packFiles} copied -> ${path.join(dest, 'packs')}`,
    key.line,
    signingKeyLine,
    ...written.lines,
  );
  report.lines.push(`took ${Date.now() - started} ms`);
  return report;
}

async function backupPostgres(config: AppConfig, dest: string): Promise<Report> {
  makePrivateDir(dest);
  const dump = path.join(dest, 'workbench.dump');
  const report: Report = { problems: [], lines: [] };
  report.lines.push(
    'PostgreSQL: dump the database with the PostgreSQL client tools (same major version as the server):',
    `  (umask 077 && pg_dump --format=custom --no-owner --file="${dump}" "$DATABASE_URL")`,
    '  restore into an empty database, with the app stopped:',
    `  pg_restore --no-owner --exit-on-error --dbname="$DATABASE_URL" "${dump}"`,
    'Take the dump right after this script: evidence files are copied first, so every row in the dump finds its file.',
  );
  const files = copyEvidence(config.evidenceDir, path.join(dest, 'evidence'));
  report.lines.push(
    `evidence files: ${files.copied} copied, ${files.present} already present -> ${path.join(dest, 'evidence')}`,
  );
  report.lines.push(
    `pack files: ${copyPacks(path.join(config.dataDir, 'packs'), path.join(dest, 'packs'))} copied -> ${path.join(dest, 'packs')}`,
  );
  const key = copyCheckpointKey(config, dest);
  report.lines.push(key.line, copySigningKey(config, dest));
  const client = new Client({ connectionString: config.database.url });
  await client.connect();
  try {
    const query: Query = async (sql, params) => (await client.query<Record<string, unknown>>(sql, params)).rows;
    await verifyChain(query, report);
    await verifyEvidence(query, path.join(dest, 'evidence'), report);
    await verifyPacks(query, path.join(dest, 'packs'), report);
    await writeCheckpoint(query, key.key, dest, report);
    await verifyCheckpoint(query, dest, key.key, report);
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
