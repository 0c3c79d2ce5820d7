import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { Actor, CSRF_IN_MULTIPART_KEY, Permission, PERMISSION_KEY, PUBLIC_KEY } from '../common/auth.decorators';
import { forbidden, unauthenticated } from '../common/domain-errors';
import { isApiToken, TokensService } from '../tokens/tokens.service';
import { AuthService } from './auth.service';
import { RolePermissionsProvider } from '../common/role-permissions.provider';

export const SESSION_COOKIE = 'wb_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const BEARER = /^Bearer\s+(\S+)\s*$/i;

export type AuthenticatedRequest = Request & { actor?: Actor; authVia?: 'cookie' | 'bearer' };

/** What a route declares: public, one permission, or nothing usable (refused). */
export type RouteAccess =
  { kind: 'public' } | { kind: 'permission'; permission: Permission } | { kind: 'undeclared' | 'ambiguous' };

/**
 * Reads a route's declaration the way the guard applies it: the method's decorator if it has one, else the class's.
 * Both @Public and @Authenticated at the same level is a mistake and is refused like no declaration at all.
 */
export function routeAccess(reflector: Reflector, handler: object, controller: object): RouteAccess {
  for (const target of [handler, controller]) {
    const isPublic = reflector.get<boolean | undefined>(PUBLIC_KEY, target as never) === true;
    const permission = reflector.get<Permission | undefined>(PERMISSION_KEY, target as never);
    if (isPublic && permission) return { kind: 'ambiguous' };
    if (isPublic) return { kind: 'public' };
    if (permission) return { kind: 'permission', permission };
  }
  return { kind: 'undeclared' };
}

function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The session's CSRF token, compared in constant time; for the handler of a CsrfCheckedInMultipartBody route. */
export function csrfTokenMatches(actor: Actor, sent: unknown): boolean {
  return typeof sent === 'string' && sameToken(sent, actor.csrfToken);
}

/**
 * The one global guard: a route passes only with @Public() or with @Authenticated({permission}) and a caller whose
 * role holds that permission. A route with neither decorator is refused for everyone (deny by default).
 * Cookie-authenticated writes must also carry the session's CSRF token (header x-csrf-token or form field _csrf).
 * A user still holding a one-time password may only use account:self routes (sign out, see themselves, change it).
 * An API token (Bearer wbt_...) acts as its creator narrowed to the token's permissions: both must hold the route's.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly tokens: TokensService,
    private readonly permissions: RolePermissionsProvider,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = routeAccess(this.reflector, context.getHandler(), context.getClass());
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    await this.attachActor(request);
    if (access.kind === 'public') return true;
    if (access.kind !== 'permission')
      throw forbidden('This route declares no usable permission and is refused by default');
    const { permission } = access;
    if (!request.actor) throw unauthenticated('Sign in first: send a session cookie or an Authorization: Bearer token');
    if (!this.permissions.can(request.actor, permission)) {
      throw forbidden(
        this.permissions.allows(request.actor.role, permission)
          ? `This API token does not have the ${permission} permission`
          : `Your role (${request.actor.role}) does not have the ${permission} permission`,
      );
    }
    if (request.actor.mustChangePassword && permission !== 'account:self') {
      throw forbidden('Change your one-time password first (POST /api/v1/auth/password)', 'password_change_required');
    }
    const checkedByHandler =
      request.is('multipart/form-data') === 'multipart/form-data' &&
      this.reflector.get<boolean | undefined>(CSRF_IN_MULTIPART_KEY, context.getHandler()) === true;
    if (request.authVia === 'cookie' && !SAFE_METHODS.has(request.method) && !checkedByHandler) {
      const sent = request.header('x-csrf-token') ?? (request.body as { _csrf?: unknown } | undefined)?._csrf;
      if (typeof sent !== 'string' || !sameToken(sent, request.actor.csrfToken)) {
        throw forbidden(
          'The form has expired or did not come from this site (CSRF check failed); reload the page and try again',
          'csrf_failed',
        );
      }
    }
    return true;
  }

  private async attachActor(request: AuthenticatedRequest): Promise<void> {
    if (request.actor) return;
    // The scheme is case-insensitive (RFC 9110); other schemes (a proxy's Basic auth) fall through to the cookie.
    const bearer = BEARER.exec(request.header('authorization') ?? '')?.[1];
    // An API token signs in to the API only: web pages take the session cookie (a token in a browser's hands would
    // be a session without CSRF protection). Whatever is wrong with a token, the caller learns only "sign in first".
    if (bearer && isApiToken(bearer)) {
      if (!request.path.startsWith('/api/')) return this.attachCookieActor(request);
      request.actor = (await this.tokens.authenticate(bearer, request.ip ?? 'unknown')) ?? undefined;
      request.authVia = 'bearer';
      return;
    }
    if (bearer) {
      request.actor = (await this.auth.resolve(bearer)) ?? undefined;
      request.authVia = 'bearer';
      return;
    }
    await this.attachCookieActor(request);
  }

  private async attachCookieActor(request: AuthenticatedRequest): Promise<void> {
    const cookie = (request.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
    if (cookie) {
      request.actor = (await this.auth.resolve(cookie)) ?? undefined;
      request.authVia = 'cookie';
    }
  }
}
