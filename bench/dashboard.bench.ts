/**
 * Dashboard benchmark: prints figures, asserts nothing.
 *
 *   npx ts-node --transpile-only bench/dashboard.bench.ts [systems] [seconds]
 *
 * Boots the app listening on a random port (SQLite in a temp directory, or a fresh PostgreSQL database beside
 * DATABASE_URL), seeds `systems` copies (default 1000) of an all-frameworks system with 100 control implementations,
 * their status history and 10 evidence rows each (bench/coverage.bench.ts seeding), and times the first coverage
 * summary refresh (every system computed) and the idempotent one (nothing changed). Then autocannon, in its own
 * process, with 20 connections for `seconds` (default 10) each against: GET /health (the app's floor), the
 * dashboard's first page, a middle page and GET /api/v1/systems (a list of 100 systems) as the specialist; then the
 * first page and /health again with one connection (latency without queueing). The app logs as in production: pino
 * JSON lines at level info, one per request, through an asynchronous destination (here /dev/null, not a terminal).
 */
import { execFile } from 'node:child_process';
import type { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import pino from 'pino';
import { LOG_DESTINATION } from '../src/common/logging.module';
import { CoverageSummaryService } from '../src/controls/coverage-summary.service';
import { allFrameworksSystem } from '../test/factories/systems';
import { startTestApp } from '../test/factories/test-app';
import { seedCoverageSystems, seedStatusHistory } from './coverage.bench';

const SYSTEMS = Number(process.argv[2] ?? 1000);
const SECONDS = Number(process.argv[3] ?? 10);
const CONNECTIONS = 20;

interface AutocannonJson {
  latency: { p50: number; p99: number; max: number };
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
}

async function load(label: string, url: string, headers: Record<string, string> = {}, connections = CONNECTIONS) {
  const args = [
    require.resolve('autocannon/autocannon.js'),
    '-j',
    '-n',
    '-c',
    String(connections),
    '-d',
    String(SECONDS),
  ];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}=${value}`);
  args.push(url);
  // The server's own CPU time per request (this process, the SQLite threads included): steadier than req/s when
  // other work shares the cores.
  const cpu = process.cpuUsage();
  const { stdout } = await promisify(execFile)(process.execPath, args, { maxBuffer: 64 * 1024 * 1024 });
  const used = process.cpuUsage(cpu);
  const result = JSON.parse(stdout) as AutocannonJson;
  return {
    label,
    connections,
    'p50 ms': result.latency.p50,
    'p99 ms': result.latency.p99,
    'req/s': Math.round(result.requests.average),
    requests: result.requests.total,
    'server CPU ms/req':
      Math.round(((used.user + used.system) / 1000 / Math.max(1, result.requests.total)) * 100) / 100,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

async function main() {
  const t = await startTestApp({
    listen: true,
    env: { WORKBENCH_COVERAGE_SUMMARY_SECONDS: '0', LOG_LEVEL: 'info' },
    override: (builder) =>
      builder.overrideProvider(LOG_DESTINATION).useValue(pino.destination({ dest: '/dev/null', sync: false })),
  });
  try {
    const headers = { Authorization: `Bearer ${t.users.governance_specialist.token}` };
    const created = await t.http().post('/api/v1/systems').set(headers).send(allFrameworksSystem()).expect(201);
    await seedCoverageSystems(t, (created.body as { id: string }).id, SYSTEMS - 1, 10);
    await seedStatusHistory(t);
    const summaries = t.app.get(CoverageSummaryService);
    const time = async () => {
      const started = process.hrtime.bigint();
      const result = await summaries.refresh();
      return { ms: Math.round(Number(process.hrtime.bigint() - started) / 1e6), ...result };
    };
    const first = await time();
    const idle = [await time(), await time(), await time()].sort((a, b) => a.ms - b.ms)[1];
    console.log(`database: ${t.database.kind}; ${SYSTEMS} systems`);
    console.table([
      { refresh: 'first (every system computed)', ...first },
      { refresh: 'idempotent (median of 3)', ...idle },
    ]);
    const { port } = (t.app.getHttpServer() as Server).address() as AddressInfo;
    const base = `http://127.0.0.1:${port}`;
    const middle = Math.max(1, Math.ceil(SYSTEMS / 50 / 2));
    for (const path of ['/', `/?page=${middle}`]) {
      const res = await fetch(`${base}${path}`, { headers });
      if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}`);
    }
    const rows = [
      await load('GET /health (no auth)', `${base}/health`),
      await load('GET / (dashboard page 1)', `${base}/`, headers),
      await load(`GET /?page=${middle}`, `${base}/?page=${middle}`, headers),
      await load('GET /api/v1/systems (100 systems)', `${base}/api/v1/systems`, headers),
      await load('GET /health (no auth)', `${base}/health`, {}, 1),
      await load('GET / (dashboard page 1)', `${base}/`, headers, 1),
    ];
    console.log(`${SECONDS} s per target, autocannon in its own process; production logging (pino JSON, info)`);
    console.table(rows);
    for (const row of rows.slice(1)) {
      const health = rows.find((r) => r.label.startsWith('GET /health') && r.connections === row.connections)!;
      if (row === health) continue;
      console.log(
        `${row.label}, ${row.connections} connection(s): ${row['req/s']} pages/s, p50 ${row['p50 ms']} ms = ` +
          `${(row['req/s'] / health['req/s']).toFixed(2)}x /health; server CPU ${row['server CPU ms/req']} ms/req ` +
          `(/health ${health['server CPU ms/req']})`,
      );
    }
  } finally {
    await t.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
