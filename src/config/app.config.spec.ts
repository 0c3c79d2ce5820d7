import * as os from 'node:os';
import { ConfigError, loadConfig } from './app.config';

describe('loadConfig', () => {
  it('defaults to SQLite under ./data', () => {
    const config = loadConfig({});
    expect(config.database.kind).toBe('sqlite');
    expect(config.database.sqlitePath).toMatch(/data\/workbench\.sqlite$/);
    expect(config.port).toBe(3000);
  });

  it('renders untagged packs unless WORKBENCH_PACK_TAGGED_PDF says otherwise', () => {
    expect(loadConfig({}).packTaggedPdf).toBe(false);
    expect(loadConfig({ WORKBENCH_PACK_TAGGED_PDF: 'true' }).packTaggedPdf).toBe(true);
  });

  it('renders as many packs at once as there are CPUs, at most 4, unless WORKBENCH_PACK_WORKERS says otherwise', () => {
    expect(loadConfig({}).packWorkers).toBe(Math.min(4, os.availableParallelism()));
    expect(loadConfig({ WORKBENCH_PACK_WORKERS: '1' }).packWorkers).toBe(1);
    expect(() => loadConfig({ WORKBENCH_PACK_WORKERS: '0' })).toThrow(/WORKBENCH_PACK_WORKERS/);
    expect(loadConfig({ WORKBENCH_COVERAGE_SUMMARY_SECONDS: '0' }).coverageSummarySeconds).toBe(0);
    expect(() => loadConfig({ WORKBENCH_COVERAGE_SUMMARY_SECONDS: 'often' })).toThrow(
      /WORKBENCH_COVERAGE_SUMMARY_SECONDS/,
    );
  });

  // Intl.supportedValuesOf('timeZone') omits UTC, so validation goes through Intl.DateTimeFormat, which knows it.
  it.each([
    [undefined, 'UTC'],
    ['UTC', 'UTC'],
    ['Europe/Berlin', 'Europe/Berlin'],
    ['America/Los_Angeles', 'America/Los_Angeles'],
    ['Etc/GMT+5', 'Etc/GMT+5'],
  ])('takes the display time zone %s from WORKBENCH_TIME_ZONE', (zone, expected) => {
    expect(loadConfig(zone === undefined ? {} : { WORKBENCH_TIME_ZONE: zone }).timeZone).toBe(expected);
  });

  it('sends webhooks every 5 s, refuses private targets and stops on a bad webhook setting naming it', () => {
    expect(loadConfig({}).webhooks).toEqual({
      dispatchIntervalMs: 5000,
      timeoutMs: 10000,
      retryBaseMs: 30000,
      maxAttempts: 10,
      allowPrivateTargets: false,
    });
    expect(loadConfig({ WORKBENCH_WEBHOOK_ALLOW_PRIVATE: 'true' }).webhooks.allowPrivateTargets).toBe(true);
    expect(() => loadConfig({ WORKBENCH_WEBHOOK_MAX_ATTEMPTS: '0' })).toThrow(/WORKBENCH_WEBHOOK_MAX_ATTEMPTS/);
    expect(() => loadConfig({ WORKBENCH_WEBHOOK_ALLOW_PRIVATE: 'maybe' })).toThrow(ConfigError);
  });

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h:5432/db' }).database).toMatchObject({
      kind: 'postgres',
      url: 'postgres://u@h:5432/db',
    });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ WORKBENCH_ADMIN_EMAIL: 'a@b.co' }, 'WORKBENCH_ADMIN_EMAIL and WORKBENCH_ADMIN_PASSWORD'],
    [{ WORKBENCH_ADMIN_EMAIL: 'a@b.co', WORKBENCH_ADMIN_PASSWORD: 'short' }, 'WORKBENCH_ADMIN_PASSWORD'],
    // The sign-in form would refuse these, leaving an admin who can never sign in.
    [
      { WORKBENCH_ADMIN_EMAIL: 'admin@localhost', WORKBENCH_ADMIN_PASSWORD: 'long enough password' },
      'WORKBENCH_ADMIN_EMAIL',
    ],
    [{ WORKBENCH_ADMIN_EMAIL: 'admin@', WORKBENCH_ADMIN_PASSWORD: 'long enough password' }, 'WORKBENCH_ADMIN_EMAIL'],
    [{ WORKBENCH_MAX_UPLOAD_BYTES: '-1' }, 'WORKBENCH_MAX_UPLOAD_BYTES'],
    [{ WORKBENCH_COOKIE_SECURE: 'maybe' }, 'WORKBENCH_COOKIE_SECURE'],
    [{ WORKBENCH_AUDIT_KEY: 'xyz' }, 'WORKBENCH_AUDIT_KEY'],
    [{ WORKBENCH_PACK_TAGGED_PDF: 'sometimes' }, 'WORKBENCH_PACK_TAGGED_PDF'],
    [{ WORKBENCH_TIME_ZONE: 'Mars/Olympus_Mons' }, 'WORKBENCH_TIME_ZONE'],
    [{ WORKBENCH_TIME_ZONE: 'CET; DROP' }, 'WORKBENCH_TIME_ZONE'],
    // An offset is not an IANA name: it has no daylight-saving rules, so calendar days would drift twice a year.
    [{ WORKBENCH_TIME_ZONE: '+01:00' }, 'WORKBENCH_TIME_ZONE'],
  ])('refuses %j naming the variable', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(name);
  });
});
