/**
 * HTTP load benchmark: prints figures, asserts nothing.
 *
 *   npx ts-node --transpile-only bench/http-load.bench.ts [seconds]
 *
 * Boots the app listening on a random port (SQLite in a temp directory, or a fresh PostgreSQL database beside
 * DATABASE_URL), signs the governance specialist in and creates one system, then runs autocannon with 20 connections
 * for `seconds` (default 10) against each target in turn: GET /api/v1/systems, GET /api/v1/systems/:id/coverage,
 * POST /api/v1/systems, and a bare node:http server answering the same list payload as the ceiling.
 */
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { minimalSystem } from '../test/factories/systems';
import { startTestApp } from '../test/factories/test-app';
import autocannon from 'autocannon';

const SECONDS = Number(process.argv[2] ?? 10);
const CONNECTIONS = 20;

interface Target {
  label: string;
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

async function run(target: Target) {
  const result = await autocannon({
    url: target.url,
    method: target.method ?? 'GET',
    headers: target.headers,
    body: target.body,
    connections: CONNECTIONS,
    duration: SECONDS,
  });
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
    const rows = [];
    for (const target of targets) rows.push(await run(target));
    console.table(rows);
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
