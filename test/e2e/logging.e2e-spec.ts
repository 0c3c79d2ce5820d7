import { Writable } from 'node:stream';
import { Logger } from 'nestjs-pino';
import { CatalogService } from '../../src/catalog/catalog.service';
import { LOG_DESTINATION, loggerParams, withQuietStartup } from '../../src/common/logging.module';
import { loadConfig } from '../../src/config/app.config';
import { bearer, startTestApp, TEST_PASSWORD, TestApp } from '../factories/test-app';

/** Collects the JSON lines pino writes, so the test reads back exactly what a log shipper would receive. */
class LineCapture extends Writable {
  readonly lines: Record<string, unknown>[] = [];
  raw = '';
  _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    const text = chunk.toString('utf8');
    this.raw += text;
    for (const line of text.split('\n').filter(Boolean)) this.lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  }
  withRequestId(id: string) {
    return this.lines.filter((line) => line.reqId === id || (line.req as { id?: string } | undefined)?.id === id);
  }
}

describe('Logging (nestjs-pino): a request id on every line of a request, secrets redacted', () => {
  const capture = new LineCapture();
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      env: { LOG_LEVEL: 'info' },
      override: (builder) => builder.overrideProvider(LOG_DESTINATION).useValue(capture),
    });
    t.app.useLogger(t.app.get(Logger));
  });
  afterAll(() => t.close());

  it('logs each request once with its id, which the response echoes, and redacts the credentials it carried', async () => {
    const res = await t
      .http()
      .get('/api/v1/auth/me')
      .set(bearer(t.users.engineer))
      .set('Cookie', 'workbench_session=cookie-secret-value')
      .expect(200);
    const id = res.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const lines = capture.withRequestId(id);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      msg: 'GET /api/v1/auth/me 200 ' + String(lines[0].responseTime) + ' ms',
    });
    expect(capture.raw).not.toContain(t.users.engineer.token);
    expect(capture.raw).not.toContain('cookie-secret-value');
    expect(JSON.stringify(lines[0])).toContain('[redacted]');
  });

  it('keeps a plain client request id and replaces one that could forge log lines', async () => {
    const kept = await t.http().get('/health').set('X-Request-Id', 'ci-run-42.step-3').expect(200);
    expect(kept.headers['x-request-id']).toBe('ci-run-42.step-3');
    expect(capture.withRequestId('ci-run-42.step-3')).toHaveLength(1);
    const replaced = await t.http().get('/health').set('X-Request-Id', '{"level":60,"msg":"forged"}').expect(200);
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('never writes a password, even on a failed sign-in', async () => {
    await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: t.users.auditor.email, password: 'a wrong but secret password' })
      .expect(401);
    await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: t.users.auditor.email, password: TEST_PASSWORD })
      .expect(200);
    expect(capture.raw).not.toContain('a wrong but secret password');
    expect(capture.raw).not.toContain(TEST_PASSWORD);
  });

  it("puts the request's id on the lines the application writes while handling it, not only on the summary", async () => {
    const spy = jest.spyOn(t.app.get(CatalogService), 'frameworks').mockImplementation(() => {
      throw new Error('the catalog store is unreachable');
    });
    try {
      const res = await t.http().get('/api/v1/frameworks').set(bearer(t.users.auditor)).expect(500);
      const id = res.headers['x-request-id'];
      expect(res.body.requestId).toBe(id);
      const lines = capture.withRequestId(id);
      expect(lines.length).toBeGreaterThanOrEqual(2);
      const appLine = lines.find((line) => String(line.msg).includes('the catalog store is unreachable'));
      expect(appLine).toMatchObject({ level: 50, reqId: id });
      expect(lines.find((line) => line.msg === appLine?.msg && line !== appLine)).toBeUndefined();
    } finally {
      spy.mockRestore();
    }
  });
});

describe('loggerParams', () => {
  it('writes JSON to the given destination, and pretty text only to a terminal', () => {
    const config = loadConfig({ LOG_LEVEL: 'warn' });
    const capture = new LineCapture();
    const json = loggerParams(config, capture).pinoHttp;
    expect(Array.isArray(json) && json[1]).toBe(capture);
    const tty = process.stdout.isTTY;
    try {
      process.stdout.isTTY = true;
      const pretty = loggerParams(config, null).pinoHttp as { transport?: { target: string }; level: string };
      expect(pretty.transport?.target).toBe('pino-pretty');
      expect(pretty.level).toBe('warn');
      process.stdout.isTTY = false;
      expect(Array.isArray(loggerParams(config, null).pinoHttp)).toBe(true);
    } finally {
      process.stdout.isTTY = tty;
    }
  });
});

describe('withQuietStartup', () => {
  it("moves Nest's per-module and per-route start-up lines to debug and passes every other line through", () => {
    const seen: string[] = [];
    const record =
      (level: string) =>
      (message: unknown, ...params: unknown[]) =>
        seen.push(`${level} ${String(message)} ${String(params[params.length - 1])}`);
    const quiet = withQuietStartup({
      log: record('info'),
      error: record('error'),
      warn: record('warn'),
      debug: record('debug'),
    });
    quiet.log('Mapped {/health, GET} route', 'RouterExplorer');
    quiet.log('AppModule dependencies initialized', 'InstanceLoader');
    quiet.log('listening on http://127.0.0.1:3000', 'Main');
    quiet.warn('the data directory is open to other users', 'AppBootstrap');
    expect(seen).toEqual([
      'debug Mapped {/health, GET} route RouterExplorer',
      'debug AppModule dependencies initialized InstanceLoader',
      'info listening on http://127.0.0.1:3000 Main',
      'warn the data directory is open to other users AppBootstrap',
    ]);
  });
});
