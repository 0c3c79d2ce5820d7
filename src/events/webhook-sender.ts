import { Inject, Injectable } from '@nestjs/common';
import * as http from 'node:http';
import * as https from 'node:https';
import type { LookupFunction } from 'node:net';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { isIP } from 'node:net';
import { isPrivateAddress, resolvePublic } from './webhook-target';

export interface SendResult {
  /** The HTTP status the receiver answered, or null when none came (refused, timed out, connection failed). */
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export const WEBHOOK_SENDER = Symbol('WEBHOOK_SENDER');

/** Sends one signed POST; behind an interface so a test can watch or fail the network. */
export interface WebhookSender {
  send(url: string, headers: Record<string, string>, body: string): Promise<SendResult>;
}

const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * POSTs with node:http(s). Redirects are not followed (node never does; a 3xx is a failed attempt). Unless private
 * targets are allowed, every connection resolves the host through resolvePublic, so a name re-pointed to a private
 * address after the webhook was created is refused at connect time. The timeout covers the whole attempt.
 */
@Injectable()
export class HttpWebhookSender implements WebhookSender {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  send(url: string, headers: Record<string, string>, body: string): Promise<SendResult> {
    const started = Date.now();
    const target = new URL(url);
    const transport = target.protocol === 'https:' ? https : http;
    const guarded = !this.config.webhooks.allowPrivateTargets;
    // Node looks up names only: an address literal is checked here, a name in guardedLookup at connect time.
    const literal = target.hostname.replace(/^\[|\]$/g, '');
    if (guarded && isIP(literal) && isPrivateAddress(literal))
      return Promise.resolve({ statusCode: null, error: `refused: ${literal} is not a public address`, durationMs: 0 });
    const lookup: LookupFunction | undefined = guarded ? guardedLookup : undefined;
    return new Promise<SendResult>((resolve) => {
      let settled = false;
      const finish = (statusCode: number | null, error: string | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ statusCode, error, durationMs: Date.now() - started });
      };
      const request = transport.request(
        target,
        {
          method: 'POST',
          headers: { ...headers, 'Content-Length': Buffer.byteLength(body).toString() },
          lookup,
        },
        (response) => {
          let read = 0;
          response.on('data', (chunk: Buffer) => {
            read += chunk.length;
            // The answer is not used; reading a little lets keep-alive work, more is the receiver's problem.
            if (read > MAX_ANSWER_BYTES) response.destroy();
          });
          response.on('error', () => finish(response.statusCode ?? null, null));
          response.on('close', () => finish(response.statusCode ?? null, null));
        },
      );
      const timer = setTimeout(() => {
        request.destroy(new Error(`no answer within ${this.config.webhooks.timeoutMs} ms`));
      }, this.config.webhooks.timeoutMs);
      request.on('error', (error) => finish(null, error.message.slice(0, 500)));
      request.end(body);
    });
  }
}

const guardedLookup: LookupFunction = (hostname, options, callback) => {
  resolvePublic(hostname).then(
    (addresses) => {
      if (options.all) callback(null, addresses);
      else callback(null, addresses[0].address, addresses[0].family);
    },
    (error: Error) => callback(Object.assign(error, { code: 'EREFUSED' }) as NodeJS.ErrnoException, '', 0),
  );
};
