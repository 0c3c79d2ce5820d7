import { isEmail } from 'class-validator';
import { createPrivateKey } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import { passwordWeakness } from '../users/password-policy';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface DatabaseConfig {
  kind: 'sqlite' | 'postgres';
  /** SQLite file path (":memory:" allowed) when kind is sqlite. */
  sqlitePath: string;
  /** Connection URL when kind is postgres. */
  url?: string;
}

export interface AppConfig {
  port: number;
  host: string;
  dataDir: string;
  evidenceDir: string;
  database: DatabaseConfig;
  logLevel: LogLevel;
  admin: { email?: string; password?: string };
  sessionTtlHours: number;
  cookieSecure: boolean;
  maxUploadBytes: number;
  auditKey?: string;
  /** WORKBENCH_SIGNING_KEY: the Ed25519 private key (PEM) that signs bundles and checkpoints; else one in dataDir. */
  signingKeyPem?: string;
  browserPath?: string;
  packQueueLimit: number;
  packTimeoutMs: number;
  /** How long a pack job's claim lasts without a heartbeat before any instance requeues it. */
  packLeaseMs: number;
  packMaxPages: number;
  /** Tagged (accessible) PDF packs: structure for screen readers, at 1.35-1.5x the print time. */
  packTaggedPdf: boolean;
  /** Packs one instance renders at the same time (WORKBENCH_PACK_WORKERS; default the CPU count, at most 4). */
  packWorkers: number;
  browserRecycleAfter: number;
  loginMaxFailures: number;
  sweepIntervalMinutes: number;
  /** How often each instance refreshes the dashboard's coverage summaries (0: only when the dashboard finds none). */
  coverageSummarySeconds: number;
  /** IANA time zone the UI and reports display times in, and whose calendar days the incident deadlines count. */
  timeZone: string;
  webhooks: WebhookConfig;
}

export interface WebhookConfig {
  /** How often each instance looks for due deliveries; 0 disables the dispatcher (deliveries wait in the outbox). */
  dispatchIntervalMs: number;
  /** One attempt's limit for connecting, sending and the answer. */
  timeoutMs: number;
  /** The wait after the first failed attempt; each further failure doubles it, up to 6 hours. */
  retryBaseMs: number;
  /** Attempts before a delivery is given up as failed. */
  maxAttempts: number;
  /** Allow loopback, private, link-local and unique-local targets (tests, a closed network); off by default (SSRF). */
  allowPrivateTargets: boolean;
}

/** A configuration value that cannot be used; the message names the variable. */
export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!allowed.includes(raw as T)) throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return raw as T;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

/**
 * An IANA zone name that Intl knows. Intl.DateTimeFormat is the test, not Intl.supportedValuesOf('timeZone'), which
 * leaves out UTC. Offsets ("+01:00") are refused: they have no daylight-saving rules, so local days would drift.
 */
function timeZone(env: Env, name: string): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return 'UTC';
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(raw)) {
    throw new ConfigError(`${name} must be an IANA time zone name such as UTC or Europe/Berlin, got "${raw}"`);
  }
  try {
    new Intl.DateTimeFormat('en', { timeZone: raw });
  } catch {
    throw new ConfigError(
      `${name} must be an IANA time zone name such as UTC or Europe/Berlin; "${raw}" is not one this Node.js knows`,
    );
  }
  return raw;
}

function databaseConfig(env: Env, dataDir: string): DatabaseConfig {
  const url = env.DATABASE_URL;
  if (url) {
    if (!/^postgres(ql)?:\/\/.+/.test(url)) {
      throw new ConfigError('DATABASE_URL must be a postgres:// or postgresql:// URL (leave it unset for SQLite)');
    }
    return { kind: 'postgres', url, sqlitePath: '' };
  }
  const sqlitePath = env.WORKBENCH_SQLITE_PATH || path.join(dataDir, 'workbench.sqlite');
  return { kind: 'sqlite', sqlitePath };
}

/**
 * An Ed25519 private key in PEM (`openssl genpkey -algorithm ed25519`). Newlines may be written as \n, as many
 * secret stores hold one line.
 */
function signingKey(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const pem = raw.replace(/\\n/g, '\n').trim() + '\n';
  let type: string | undefined;
  try {
    type = createPrivateKey(pem).asymmetricKeyType;
  } catch (error) {
    throw new ConfigError(
      `${name} must be an Ed25519 private key in PEM (openssl genpkey -algorithm ed25519): ${(error as Error).message}`,
    );
  }
  if (type !== 'ed25519') throw new ConfigError(`${name} must be an Ed25519 private key, got a ${type} key`);
  return pem;
}

/** Reads and validates the environment once; the only place in the code base that reads process.env. */
export function loadConfig(env: Env = process.env): AppConfig {
  const dataDir = path.resolve(env.WORKBENCH_DATA_DIR || './data');
  const adminEmail = env.WORKBENCH_ADMIN_EMAIL || undefined;
  const adminPassword = env.WORKBENCH_ADMIN_PASSWORD || undefined;
  // The same rule the sign-in form applies, so the first admin can always sign in.
  if (adminEmail && (!isEmail(adminEmail) || adminEmail.length > 254)) {
    throw new ConfigError(
      `WORKBENCH_ADMIN_EMAIL must be an e-mail address with a domain such as example.org, got "${adminEmail}"`,
    );
  }
  if (adminPassword !== undefined && [...adminPassword].length < 12) {
    throw new ConfigError('WORKBENCH_ADMIN_PASSWORD must be at least 12 characters');
  }
  const adminPasswordWeakness =
    adminPassword === undefined ? null : passwordWeakness(adminPassword, adminEmail ? [adminEmail] : []);
  if (adminPasswordWeakness)
    throw new ConfigError(`WORKBENCH_ADMIN_PASSWORD is too easy to guess: ${adminPasswordWeakness}`);
  if (Boolean(adminEmail) !== Boolean(adminPassword)) {
    throw new ConfigError('WORKBENCH_ADMIN_EMAIL and WORKBENCH_ADMIN_PASSWORD must be set together');
  }
  const auditKey = env.WORKBENCH_AUDIT_KEY || undefined;
  if (auditKey !== undefined && !/^[0-9a-fA-F]{64,}$/.test(auditKey)) {
    throw new ConfigError('WORKBENCH_AUDIT_KEY must be at least 64 hexadecimal characters (32 bytes)');
  }
  const signingKeyPem = signingKey(env, 'WORKBENCH_SIGNING_KEY');
  return {
    port: integer(env, 'PORT', 3000, 0, 65535),
    host: env.HOST || '127.0.0.1',
    dataDir,
    evidenceDir: path.join(dataDir, 'evidence'),
    database: databaseConfig(env, dataDir),
    logLevel: oneOf(env, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error', 'silent'] as const, 'info'),
    admin: { email: adminEmail, password: adminPassword },
    sessionTtlHours: integer(env, 'WORKBENCH_SESSION_TTL_HOURS', 12, 1, 24 * 30),
    cookieSecure: bool(env, 'WORKBENCH_COOKIE_SECURE', false),
    maxUploadBytes: integer(env, 'WORKBENCH_MAX_UPLOAD_BYTES', 25 * 1024 * 1024, 1024, 2 * 1024 * 1024 * 1024),
    auditKey,
    signingKeyPem,
    browserPath: env.PUPPETEER_EXECUTABLE_PATH || undefined,
    packQueueLimit: integer(env, 'WORKBENCH_PACK_QUEUE_LIMIT', 20, 1, 10000),
    packTimeoutMs: integer(env, 'WORKBENCH_PACK_TIMEOUT_MS', 60000, 1000, 600000),
    packLeaseMs: integer(env, 'WORKBENCH_PACK_LEASE_MS', 30000, 1000, 600000),
    packMaxPages: integer(env, 'WORKBENCH_PACK_MAX_PAGES', 2000, 1, 100000),
    packTaggedPdf: bool(env, 'WORKBENCH_PACK_TAGGED_PDF', false),
    packWorkers: integer(env, 'WORKBENCH_PACK_WORKERS', Math.min(4, Math.max(1, os.availableParallelism())), 1, 16),
    browserRecycleAfter: integer(env, 'WORKBENCH_BROWSER_RECYCLE_AFTER', 50, 1, 100000),
    loginMaxFailures: integer(env, 'WORKBENCH_LOGIN_MAX_FAILURES', 5, 1, 1000),
    sweepIntervalMinutes: integer(env, 'WORKBENCH_SWEEP_INTERVAL_MINUTES', 60, 0, 7 * 24 * 60),
    coverageSummarySeconds: integer(env, 'WORKBENCH_COVERAGE_SUMMARY_SECONDS', 15, 0, 24 * 60 * 60),
    timeZone: timeZone(env, 'WORKBENCH_TIME_ZONE'),
    webhooks: {
      dispatchIntervalMs: integer(env, 'WORKBENCH_WEBHOOK_DISPATCH_INTERVAL_MS', 5000, 0, 3_600_000),
      timeoutMs: integer(env, 'WORKBENCH_WEBHOOK_TIMEOUT_MS', 10000, 100, 60000),
      retryBaseMs: integer(env, 'WORKBENCH_WEBHOOK_RETRY_BASE_MS', 30000, 1, 3_600_000),
      maxAttempts: integer(env, 'WORKBENCH_WEBHOOK_MAX_ATTEMPTS', 10, 1, 50),
      allowPrivateTargets: bool(env, 'WORKBENCH_WEBHOOK_ALLOW_PRIVATE', false),
    },
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
