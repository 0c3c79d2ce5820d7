/**
 * HTTP load benchmark: prints figures, asserts nothing.
 *
 *   npx ts-node --transpile-only bench/http-load.bench.ts [seconds]
 *
 * Boots the app listening on a random port (SQLite in a temp directory, or a fresh PostgreSQL database beside
 * DATABASE_URL), signs the governance specialist in and creates one system, then runs autocannon with 20 connections
 * for `seconds` (default 10) against each target in turn: GET /health (unauthenticated), GET /api/v1/auth/me (one
 * authenticated read), GET /api/v1/systems, GET /api/v1/systems/:id/coverage, POST /api/v1/systems, and a bare
 * node:http server answering the same list payload as the ceiling.
 *
 * The load generator runs in its own process (autocannon's CLI, JSON output): inside the server's process it shared
 * the event loop and halved what it measured (41k req/s against 89k from outside for the same node:http server).
 */
import { execFile } from 'node:child_process';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { minimalSystem } from '../test/factories/systems';
import { startTestApp } from '../test/factories/test-app';

const SECONDS = Number(process.argv[2] ?? 10);
const CONNECTIONS = 20;

interface Target {
  label: string;
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

interface AutocannonJson {
  latency: { p50: number; p99: number; max: number };
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

async function run(target: Target) {
  const args = [
    require.resolve('autocannon/autocannon.js'),
    '-j',
    '-n',
    '-c',
    String(CONNECTIONS),
    '-d',
    String(SECONDS),
  ];
  args.push('-m', target.method ?? 'GET');
  for (const [name, value] of Object.entries(target.headers ?? {})) args.push('-H', `${name}=${value}`);
  if (target.body) args.push('-b', target.body);
  args.push(target.url);
  const { stdout } = await promisify(execFile)(process.execPath, args, { maxBuffer: 64 * 1024 * 1024 });
  const result = JSON.parse(stdout) as AutocannonJson;
  return {
    label: target.label,
    'p50 ms': result.latency.p50,
    'p99 ms': result.latency.p99,
    'max ms': result.latency.max,
    'req/s': Math.round(result.requests.average),
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

async function main() {
  const t = await startTestApp({ listen: true });
  const ceiling = http.createServer();
  try {
    const { port } = (t.app.getHttpServer() as http.Server).address() as AddressInfo;
    const base = `http://127.0.0.1:${port}`;
    const headers = {
      Authorization: `Bearer ${t.users.governance_specialist.token}`,
      'Content-Type': 'application/json',
    };
    const created = await fetch(`${base}/api/v1/systems`, {
      method: 'POST',
      headers,
      body: JSON.stringify(minimalSystem({ name: 'Load subject' })),
    });
    if (created.status !== 201) throw new Error(`creating the system answered ${created.status}`);
    const systemId = ((await created.json()) as { id: string }).id;

    // The ceiling answers what GET /api/v1/systems answers right now, with no routing, auth, validation or database.
    const listPayload = Buffer.from(await (await fetch(`${base}/api/v1/systems`, { headers })).text());
    ceiling.on('request', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': listPayload.length });
      res.end(listPayload);
    });
    await new Promise<void>((resolve) => ceiling.listen(0, '127.0.0.1', resolve));
    const ceilingPort = (ceiling.address() as AddressInfo).port;

    const targets: Target[] = [
      { label: 'GET /health (no auth)', url: `${base}/health` },
      { label: 'GET /api/v1/auth/me', url: `${base}/api/v1/auth/me`, headers },
      { label: 'GET /api/v1/systems', url: `${base}/api/v1/systems`, headers },
      { label: 'GET /api/v1/systems/:id/coverage', url: `${base}/api/v1/systems/${systemId}/coverage`, headers },
      {
        label: 'POST /api/v1/systems',
        url: `${base}/api/v1/systems`,
        method: 'POST',
        headers,
        body: JSON.stringify(minimalSystem({ name: 'Load write' })),
      },
      { label: `node:http ceiling (${listPayload.length} B JSON)`, url: `http://127.0.0.1:${ceilingPort}/` },
    ];
    console.log(`database: ${t.database.kind}; ${CONNECTIONS} connections, ${SECONDS} s per target`);
    const rows: Awaited<ReturnType<typeof run>>[] = [];
    for (const target of targets) rows.push(await run(target));
    console.table(rows);
    const rate = (label: string) => rows.find((row) => row.label.startsWith(label))?.['req/s'] ?? NaN;
    console.log(
      `GET /api/v1/auth/me vs GET /health: ${rate('GET /api/v1/auth/me')} / ${rate('GET /health')} req/s = ` +
        `${(rate('GET /api/v1/auth/me') / rate('GET /health')).toFixed(2)}x`,
    );
    const count = await t.dataSource.query<{ n: number | string }[]>('SELECT COUNT(*) AS "n" FROM "ai_systems"');
    console.log(`ai_systems rows after the run: ${Number(count[0].n)}`);
  } finally {
    ceiling.close();
    await t.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
