import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, DomainErrorKind } from './domain-errors';
import { inputViolation } from '../database/input-violation';

const STATUS: Record<DomainErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_type: 415,
  throttled: 429,
  overloaded: 503,
  insufficient_storage: 507,
};

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: unknown;
  requestId?: string;
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

/** Turns any error into the `{statusCode, error, message, details?}` shape; unknown errors become a logged 500. */
export function toErrorBody(exception: unknown): { body: ErrorBody; retryAfter?: number } {
  if (exception instanceof DomainError) {
    const statusCode = STATUS[exception.kind];
    return {
      body: { statusCode, error: reasonPhrase(statusCode), message: exception.message, details: exception.details },
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
    return { body: { statusCode, error: reasonPhrase(statusCode), message, details } };
  }
  const violation = inputViolation(exception);
  if (violation)
    return { body: { statusCode: 400, error: 'Bad Request', message: `The request is not valid: ${violation}` } };
  const bodyParserStatus = (exception as { status?: number; type?: string })?.status;
  if (typeof bodyParserStatus === 'number' && bodyParserStatus >= 400 && bodyParserStatus < 500) {
    const message = (exception as Error).message || 'The request could not be read';
    return { body: { statusCode: bodyParserStatus, error: reasonPhrase(bodyParserStatus), message } };
  }
  return { body: { statusCode: 500, error: 'Internal Server Error', message: 'Something went wrong on our side' } };
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
      this.logger.error(`${request.method} ${request.url} failed: ${(exception as Error)?.stack ?? exception}`);
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
      response.status(body.statusCode).render('error', { title: body.error, error: body, layout: 'layout' });
      return;
    }
    response.status(body.statusCode).json(body);
  }
}
