import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, ErrorCode, statusOfKind } from './domain-errors';
import { inputViolation } from '../database/input-violation';

export interface ErrorBody {
  statusCode: number;
  /** Stable and machine-readable (docs/api.md lists them); the message is for people and may be reworded. */
  code: ErrorCode;
  error: string;
  message: string;
  details?: unknown;
  requestId?: string;
}

/** The Express setting under which the web layer offers the error page's model (menu, heading, words). */
export const ERROR_PAGE_MODEL = 'workbench error page model';
export type ErrorPageModel = (request: Request, body: ErrorBody) => Promise<object>;

/** Codes of errors raised outside the services (Nest's pipes and router, body-parser), by status. */
const FRAMEWORK_CODE: Readonly<Record<number, ErrorCode>> = {
  400: 'validation_failed',
  401: 'unauthenticated',
  403: 'forbidden',
  // The router's "Cannot GET /x": services answer a missing record with a DomainError, never an HttpException.
  404: 'route_not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'throttled',
  503: 'overloaded',
};

function frameworkCode(status: number, bodyParserType?: string): ErrorCode {
  if (bodyParserType === 'entity.parse.failed') return 'malformed_body';
  return FRAMEWORK_CODE[status] ?? (status >= 500 ? 'internal_error' : 'validation_failed');
}

function reasonPhrase(status: number): string {
  const name = HttpStatus[status];
  return name
    ? name
        .toLowerCase()
        .split('_')
        .map((w) => w[0].toUpperCase() + w.slice(1))
        .join(' ')
    : 'Error';
}

/**
 * Turns any error into the `{statusCode, code, error, message, details?}` shape; unknown errors become a logged 500.
 */
export function toErrorBody(exception: unknown): { body: ErrorBody; retryAfter?: number } {
  if (exception instanceof DomainError) {
    const statusCode = statusOfKind(exception.kind);
    return {
      body: {
        statusCode,
        code: exception.code,
        error: reasonPhrase(statusCode),
        message: exception.message,
        details: exception.details,
      },
      retryAfter: exception.retryAfterSeconds,
    };
  }
  if (exception instanceof HttpException) {
    const statusCode = exception.getStatus();
    const response = exception.getResponse();
    let message = exception.message;
    let details: unknown;
    if (typeof response === 'object' && response !== null) {
      const raw = (response as { message?: unknown }).message;
      if (Array.isArray(raw)) {
        message = 'The request is not valid: ' + raw.join('; ');
        details = raw;
      } else if (typeof raw === 'string') {
        message = raw;
      }
    }
    return { body: { statusCode, code: frameworkCode(statusCode), error: reasonPhrase(statusCode), message, details } };
  }
  const violation = inputViolation(exception);
  if (violation)
    return {
      body: {
        statusCode: 400,
        code: 'validation_failed',
        error: 'Bad Request',
        message: `The request is not valid: ${violation}`,
      },
    };
  const { status: bodyParserStatus, type } = (exception ?? {}) as { status?: number; type?: string };
  if (typeof bodyParserStatus === 'number' && bodyParserStatus >= 400 && bodyParserStatus < 500) {
    const message = (exception as Error).message || 'The request could not be read';
    return {
      body: {
        statusCode: bodyParserStatus,
        code: frameworkCode(bodyParserStatus, type),
        error: reasonPhrase(bodyParserStatus),
        message,
      },
    };
  }
  return {
    body: {
      statusCode: 500,
      code: 'internal_error',
      error: 'Internal Server Error',
      message: 'Something went wrong on our side',
    },
  };
}

@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request & { id?: string }>();
    const { body, retryAfter } = toErrorBody(exception);
    body.requestId = request.id;
    if (body.statusCode >= 500 && body.statusCode !== 503) {
      this.logger.error(`${request.method} ${request.url} failed: ${(exception as Error)?.stack ?? String(exception)}`);
    }
    if (retryAfter) response.setHeader('Retry-After', String(retryAfter));
    if (response.headersSent) {
      response.end();
      return;
    }
    // Case-insensitive, as Express routes: "/API/v1/..." is the API too.
    const wantsHtml = request.accepts(['json', 'html']) === 'html' && !/^\/api\//i.test(request.path);
    // A person opening a page while signed out goes to the sign-in form and comes back afterwards.
    if (wantsHtml && body.statusCode === 401) {
      const next = request.method === 'GET' ? request.originalUrl : '/';
      response.redirect(302, `/login?next=${encodeURIComponent(next)}`);
      return;
    }
    if (
      wantsHtml &&
      typeof (response as { render?: unknown }).render === 'function' &&
      request.app.get('view engine')
    ) {
      const page = request.app.get(ERROR_PAGE_MODEL) as ErrorPageModel | undefined;
      // The web layer adds the menu of the signed-in user and the words for people; without it the bare page.
      void (page ? page(request, body) : Promise.resolve({}))
        .catch(() => ({}))
        .then((model) =>
          response
            .status(body.statusCode)
            .render('error', { title: body.error, ...model, error: body, layout: 'layout' }),
        );
      return;
    }
    response.status(body.statusCode).json(body);
  }
}
