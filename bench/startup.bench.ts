/**
 * Start-up benchmark (issue 18.7): prints figures, asserts nothing.
 *
 *   npx ts-node --transpile-only bench/startup.bench.ts [runs]
 *
 * Measures, from spawning the process to the first 200 on GET /health (polled every 10 ms from this process):
 *   - the product, src/main.ts, on SQLite in a temp data directory: once on the new directory (migrations, policy
 *     load into an empty catalog, first admin), then `runs` restarts on the same directory (default 3);
 *   - bench/startup-bare.ts, a bare NestJS app that requires the same module files but boots one health controller.
 * Both run under ts-node (--transpile-only) alike, so compiling the sources costs both the same. Restarts and bare
 * starts are interleaved; medians and their ratio are printed.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

const RUNS = Number(process.argv[2] ?? 3);
const ROOT = path.resolve(__dirname, '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Milliseconds from spawn to the first 200 on /health. */
async function startOnce(script: string, env: Record<string, string>): Promise<number> {
  const port = await freePort();
  const started = Date.now();
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', script], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'silent', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${script} exited ${child.exitCode}: ${stderr}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/health`);
        if (res.status === 200) return Date.now() - started;
      } catch {
        // not listening yet
      }
      if (Date.now() - started > 120_000) throw new Error(`${script} gave no 200 on /health within 120 s: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    await stop(child);
  }
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-startup-'));
  const env = {
    WORKBENCH_DATA_DIR: dataDir,
    DATABASE_URL: '',
    WORKBENCH_ADMIN_EMAIL: 'admin@example.test',
    WORKBENCH_ADMIN_PASSWORD: 'correct horse battery staple',
  };
  try {
    await startOnce('bench/startup-bare.ts', {}); // warm-up: the file-system cache
    const fresh = await startOnce('src/main.ts', env);
    const app: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      app.push(await startOnce('src/main.ts', env));
      bare.push(await startOnce('bench/startup-bare.ts', {}));
    }
    console.log(`Node ${process.version}; ${os.cpus().length} CPUs; load average ${os.loadavg()[0].toFixed(1)}`);
    console.table([
      { label: 'src/main.ts, new data directory (migrations, policy load)', 'median ms': fresh, runs: String(fresh) },
      { label: 'src/main.ts, restart on the same directory', 'median ms': median(app), runs: app.join(' ') },
      { label: 'bare NestJS app, same module files loaded', 'median ms': median(bare), runs: bare.join(' ') },
    ]);
    console.log(
      `start-up to first 200 on /health, restart vs bare: ${median(app)} / ${median(bare)} ms = ${(median(app) / median(bare)).toFixed(2)}x`,
    );
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
