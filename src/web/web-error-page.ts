import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { SESSION_COOKIE } from '../auth/auth.guard';
import { AuthService } from '../auth/auth.service';
import type { Actor } from '../common/auth.decorators';
import type { ErrorBody } from '../common/domain-error.filter';
import { WebLayout } from './web-layout.service';

/** What a permission lets a person do, for "You do not have access to …" (the permission names stay for the API). */
const PERMISSION_WORDS: Readonly<Record<string, string>> = {
  'systems:write': 'adding or changing AI systems',
  'controls:write': 'changing control statuses',
  'evidence:upload': 'uploading evidence',
  'evidence:review': 'reviewing evidence',
  'audit-log:read': 'the audit log',
  'tasks:read': 'tasks',
  'tasks:transition': 'moving tasks',
  'packs:read': 'evidence packs',
  'packs:create': 'generating evidence packs',
  'incidents:read': 'incidents',
  'incidents:write': 'recording or changing incidents',
  'users:write': 'user administration',
};

/**
 * The error page in words, inside the signed-in user's menu: "Page not found" for a missing page or record (a
 * malformed id included), "You do not have access to …" for a permission, the service's own sentence otherwise.
 */
@Injectable()
export class WebErrorPage {
  constructor(
    private readonly auth: AuthService,
    private readonly layout: WebLayout,
  ) {}

  async model(request: Request & { actor?: Actor }, body: ErrorBody): Promise<object> {
    const actor = request.actor ?? (await this.sessionActor(request));
    const words = errorWords(body);
    return actor ? this.layout.page(actor, words.heading, words) : { title: words.heading, ...words };
  }

  /** An unknown route never reaches the guard, so the session is read here, for the menu only. */
  private async sessionActor(request: Request): Promise<Actor | null> {
    const cookie = (request.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
    return cookie ? this.auth.resolve(cookie) : null;
  }
}

export function errorWords(body: ErrorBody): { heading: string; text: string; detail: string | null } {
  if (body.statusCode === 404)
    return {
      heading: 'Page not found',
      text: 'There is no page at this address, or the record is outside what your account can see.',
      detail: null,
    };
  if (body.statusCode === 403 && body.code === 'forbidden') {
    const permission = /the ([a-z-]+:[a-z-]+) permission/.exec(body.message)?.[1];
    const what = (permission && PERMISSION_WORDS[permission]) ?? 'this page';
    return {
      heading: `You do not have access to ${what}`,
      text: 'Your account is not allowed to do this. If you think it should be, ask a governance specialist or an administrator.',
      detail: null,
    };
  }
  if (body.code === 'password_change_required')
    return {
      heading: 'Change your one-time password first',
      text: 'You signed in with a one-time password. Choose your own on the "Change your password" page (your name in the menu), then this page opens.',
      detail: null,
    };
  if (body.statusCode === 403) return { heading: 'That could not be done', text: body.message, detail: null };
  if (body.statusCode === 409)
    return { heading: 'That change is not possible right now', text: body.message, detail: null };
  if (body.statusCode >= 500)
    return {
      heading: 'Something went wrong on our side',
      text: 'Try again in a moment. If it keeps happening, tell your administrator.',
      detail: body.requestId ? `Reference: ${body.requestId}` : null,
    };
  return { heading: 'Something in the request was not right', text: body.message, detail: null };
}
