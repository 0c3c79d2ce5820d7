import { INestApplication, ValidationPipe } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { SESSION_COOKIE } from './auth/auth.guard';
import { BEARER_SCHEME, COOKIE_SCHEME } from './common/auth.decorators';
import { DomainErrorFilter } from './common/domain-error.filter';
import { DomainError } from './common/domain-errors';
import { jsonBodyReviver, refuseBadFormFields, verifyFormBody, verifyJsonBody } from './common/json-body';

// The only bodies the app reads (API and web forms alike); any other would be ignored and the request treated as empty.
const BODY_TYPES = ['application/json', 'multipart/form-data', 'application/x-www-form-urlencoded'];

/** Global HTTP pieces shared by main.ts and the e2e tests, so tests exercise exactly what production serves. */
export function setupApp(app: INestApplication): void {
  const express = app as NestExpressApplication;
  express.disable('x-powered-by');
  express.set('trust proxy', 'loopback');
  // Nothing is kept by the browser or a proxy (Back after sign-out must not show data); public assets set their own.
  app.use((_request: Request, response: Response, next: NextFunction) => {
    response.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use((request: Request, _response: Response, next: NextFunction) => {
    const hasBody =
      Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
    // Every route, not a path prefix: Express routes case-insensitively, so "/API/v1/..." would slip past a prefix test.
    if (hasBody && !request.is(BODY_TYPES)) {
      next(new DomainError('unsupported_type', `Send the request body as ${BODY_TYPES.join(' or ')}`));
      return;
    }
    next();
  });
  express.useBodyParser('json', { limit: '1mb', verify: verifyJsonBody, reviver: jsonBodyReviver });
  express.useBodyParser('urlencoded', { limit: '1mb', extended: false, verify: verifyFormBody });
  // Nest would turn body-parser's SyntaxError into a plain 400; the message stays, the code says what went wrong.
  app.use((error: unknown, _request: Request, _response: Response, next: NextFunction) => {
    const { type, message } = error as { type?: unknown; message?: string };
    if (type === 'entity.parse.failed')
      next(
        new DomainError(
          'invalid',
          message ?? 'The request body is not valid JSON',
          undefined,
          undefined,
          'malformed_body',
        ),
      );
    else next(error);
  });
  app.use(refuseBadFormFields);
  app.use(
    helmet({
      // Not helmet's no-referrer: under it browsers send "Origin: null" on our own form posts, which the sign-in's
      // login-CSRF check must refuse. same-origin still sends nothing to other sites.
      referrerPolicy: { policy: 'same-origin' },
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
        },
      },
    }),
  );
  app.use(cookieParser());
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, stopAtFirstError: false }),
  );
  app.useGlobalFilters(new DomainErrorFilter());
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('AI governance workbench API')
      .setVersion('1')
      .addBearerAuth(
        { type: 'http', scheme: 'bearer', description: 'the token of POST /api/v1/auth/login' },
        BEARER_SCHEME,
      )
      .addCookieAuth(
        SESSION_COOKIE,
        { type: 'apiKey', in: 'cookie', description: 'writes also need the csrfToken in x-csrf-token' },
        COOKIE_SCHEME,
      )
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });
}
