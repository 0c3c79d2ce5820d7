import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { Actor, Permission, PERMISSION_KEY, PUBLIC_KEY } from '../common/auth.decorators';
import { forbidden, unauthenticated } from '../common/domain-errors';
import { AuthService } from './auth.service';
import { RolePermissionsProvider } from './role-permissions.provider';

export const SESSION_COOKIE = 'wb_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export type AuthenticatedRequest = Request & { actor?: Actor; authVia?: 'cookie' | 'bearer' };

function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * The one global guard: a route passes only with @Public() or with @Authenticated({permission}) and a caller whose
 * role holds that permission. A route with neither decorator is refused for everyone (deny by default).
 * Cookie-authenticated writes must also carry the session's CSRF token (header x-csrf-token or form field _csrf).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly permissions: RolePermissionsProvider,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets);
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(PERMISSION_KEY, targets);
    await this.attachActor(request);
    if (isPublic) return true;
    if (!permission) throw forbidden('This route declares no permission and is refused by default');
    if (!request.actor) throw unauthenticated('Sign in first: send a session cookie or an Authorization: Bearer token');
    if (!this.permissions.allows(request.actor.role, permission)) {
      throw forbidden(`Your role (${request.actor.role}) does not have the ${permission} permission`);
    }
    if (request.authVia === 'cookie' && !SAFE_METHODS.has(request.method)) {
      const sent = request.header('x-csrf-token') ?? (request.body as { _csrf?: unknown } | undefined)?._csrf;
      if (typeof sent !== 'string' || !sameToken(sent, request.actor.csrfToken)) {
        throw forbidden('The form has expired or did not come from this site (CSRF check failed); reload the page and try again');
      }
    }
    return true;
  }

  private async attachActor(request: AuthenticatedRequest): Promise<void> {
    if (request.actor) return;
    const header = request.header('authorization');
    if (header?.startsWith('Bearer ')) {
      request.actor = (await this.auth.resolve(header.slice(7).trim())) ?? undefined;
      request.authVia = 'bearer';
      return;
    }
    const cookie = (request.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
    if (cookie) {
      request.actor = (await this.auth.resolve(cookie)) ?? undefined;
      request.authVia = 'cookie';
    }
  }
}
