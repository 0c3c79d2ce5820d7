import { type LoggerService, Module } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { LoggerModule, type Params } from 'nestjs-pino';
import pino, { type DestinationStream } from 'pino';
import { APP_CONFIG, type AppConfig } from '../config/app.config';

/** Where log lines go; tests replace it to read the lines back. */
export const LOG_DESTINATION = Symbol('LOG_DESTINATION');

/** A client's X-Request-Id is kept only when it is short and plain, so it cannot forge or flood log lines. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Secrets that must never reach a log line, wherever a serializer or a caller puts them. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'password',
  'currentPassword',
  'newPassword',
  'token',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.token',
];

export function requestId(request: IncomingMessage, response: ServerResponse): string {
  const incoming = request.headers['x-request-id'];
  const id = typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  response.setHeader('X-Request-Id', id);
  return id;
}

/**
 * pino-http options: JSON lines (for a log shipper) unless stdout is a terminal, where a newcomer's `npm run demo`
 * reads as one short line of text per event. Every line written while a request is handled carries its `reqId`.
 */
export function loggerParams(config: AppConfig, destination: DestinationStream | null): Params {
  const pretty = destination === null && process.stdout.isTTY === true && process.env.NODE_ENV !== 'production';
  const options = {
    level: config.logLevel,
    genReqId: requestId,
    quietReqLogger: true,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    customSuccessMessage: (req: IncomingMessage, res: ServerResponse, ms: number) =>
      `${req.method} ${(req.url ?? '').split('?')[0]} ${res.statusCode} ${Math.round(ms)} ms`,
    customErrorMessage: (req: IncomingMessage, res: ServerResponse) =>
      `${req.method} ${(req.url ?? '').split('?')[0]} ${res.statusCode} failed`,
    customLogLevel: (_req: IncomingMessage, res: ServerResponse, error?: Error) =>
      error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    transport: pretty
      ? {
          target: 'pino-pretty',
          options: {
            colorize: true,
            singleLine: true,
            translateTime: 'SYS:HH:MM:ss',
            ignore: 'pid,hostname,req,res,context,responseTime',
            messageFormat: '{if context}[{context}] {end}{msg}',
          },
        }
      : undefined,
  } as const;
  // '*path' as for any app-wide middleware: nestjs-pino's default ('*' for every method) makes Express 5 register a
  // catch-all route per HTTP method, which the router then reports as routes the app serves.
  const forRoutes = ['*path'];
  if (pretty) return { pinoHttp: options, forRoutes };
  return { pinoHttp: [options, destination ?? pino.destination({ dest: 1, sync: false })], forRoutes };
}

/**
 * The application's logger (nestjs-pino over pino-http). Nest's own `Logger` calls go through it once main.ts calls
 * `app.useLogger(app.get(Logger))`; the destination is its own provider so a test can read the lines.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      providers: [{ provide: LOG_DESTINATION, useValue: null }],
      inject: [APP_CONFIG, LOG_DESTINATION],
      useFactory: (config: AppConfig, destination: DestinationStream | null) => loggerParams(config, destination),
    }),
  ],
})
export class LoggingModule {}

/** Nest's start-up chatter: one line per module and per route, which buried the lines that matter. */
const NEST_STARTUP_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/** The application logger with Nest's per-module and per-route start-up lines moved from info to debug. */
export function withQuietStartup(logger: LoggerService): LoggerService {
  const isStartupChatter = (params: unknown[]) => {
    const context = params[params.length - 1];
    return typeof context === 'string' && NEST_STARTUP_CONTEXTS.has(context);
  };
  return {
    log(message: unknown, ...params: unknown[]) {
      if (isStartupChatter(params)) logger.debug?.(message, ...params);
      else logger.log(message, ...params);
    },
    error(message: unknown, ...params: unknown[]) {
      logger.error(message, ...params);
    },
    warn(message: unknown, ...params: unknown[]) {
      logger.warn(message, ...params);
    },
    debug(message: unknown, ...params: unknown[]) {
      logger.debug?.(message, ...params);
    },
    verbose(message: unknown, ...params: unknown[]) {
      logger.verbose?.(message, ...params);
    },
    fatal(message: unknown, ...params: unknown[]) {
      logger.fatal?.(message, ...params);
    },
  };
}
