import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppConfig } from '../config/app.config';
import { HttpWebhookSender } from './webhook-sender';

function sender(allowPrivateTargets: boolean, timeoutMs = 2000): HttpWebhookSender {
  return new HttpWebhookSender({
    webhooks: { allowPrivateTargets, timeoutMs, dispatchIntervalMs: 0, retryBaseMs: 1, maxAttempts: 3 },
  } as AppConfig);
}

describe('HttpWebhookSender', () => {
  const seen: string[] = [];
  let port: number;
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url} ${String(req.headers['workbench-event'] ?? '')}`);
    if (req.url === '/redirect') res.writeHead(302, { Location: '/ok' }).end();
    else if (req.url === '/slow') req.resume();
    else req.on('data', () => undefined).on('end', () => res.writeHead(204).end());
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => (seen.length = 0));

  it('POSTs the body with the given headers and reports the status', async () => {
    const result = await sender(true).send(`http://127.0.0.1:${port}/ok`, { 'Workbench-Event': 'pack.ready' }, '{}');
    expect(result).toMatchObject({ statusCode: 204, error: null });
    expect(seen).toEqual(['POST /ok pack.ready']);
  });

  it('does not follow a redirect (a 3xx is the answer)', async () => {
    const result = await sender(true).send(`http://127.0.0.1:${port}/redirect`, {}, '{}');
    expect(result.statusCode).toBe(302);
    expect(seen).toEqual(['POST /redirect ']);
  });

  it('gives up after the timeout', async () => {
    const result = await sender(true, 200).send(`http://127.0.0.1:${port}/slow`, {}, '{}');
    expect(result).toMatchObject({ statusCode: null, error: 'no answer within 200 ms' });
  });

  it('refuses private targets at send time unless allowed: an address literal and a name resolving to one', async () => {
    const literal = await sender(false).send(`http://127.0.0.1:${port}/ok`, {}, '{}');
    expect(literal).toMatchObject({ statusCode: null, error: 'refused: 127.0.0.1 is not a public address' });
    const named = await sender(false).send(`http://localhost:${port}/ok`, {}, '{}');
    expect(named.statusCode).toBeNull();
    expect(named.error).toMatch(/localhost resolves to (127\.0\.0\.1|::1)/);
    expect(seen).toEqual([]);
  });
});
