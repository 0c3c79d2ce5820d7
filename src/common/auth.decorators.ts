import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from './dto/error-response.dto';
import type { Role } from '../users/entities/user.entity';

export const PERMISSION_KEY = 'workbench:permission';
export const PUBLIC_KEY = 'workbench:public';
/** The OpenAPI security schemes app.setup.ts declares: `Authorization: Bearer <token>` and the session cookie. */
export const BEARER_SCHEME = 'bearer';
export const COOKIE_SCHEME = 'cookie';

export const PERMISSIONS = [
  'account:self',
  'users:read',
  'users:write',
  'catalog:read',
  'catalog:write',
  'systems:read',
  'systems:read-all',
  'systems:write',
  'controls:write',
  'requirements:decide',
  'evidence:read',
  'evidence:upload',
  'evidence:review',
  'tasks:read',
  'tasks:read-all',
  'tasks:write',
  'tasks:transition',
  'tasks:transition-all',
  'tasks:verify',
  'audits:read',
  'audits:read-all',
  'audits:write',
  'audits:sign-off',
  'packs:read',
  'packs:create',
  'audit-log:read',
  'audit-log:read-all',
  'health:details',
  'incidents:read',
  'incidents:write',
  'tests:read',
  'tests:write',
  'tokens:manage',
  'webhooks:manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/**
 * Every route carries exactly one of these two, on the method or on its controller class; the global guard refuses a
 * route that has neither, or both at the same level. A method's decorator overrides its class's.
 */
export const Authenticated = (options: { permission: Permission }) =>
  applyDecorators(
    SetMetadata(PERMISSION_KEY, options.permission),
    // Either scheme signs a request in (OpenAPI reads two entries as "one of").
    ApiBearerAuth(BEARER_SCHEME),
    ApiCookieAuth(COOKIE_SCHEME),
    ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'not signed in (code unauthenticated)' }),
    ApiForbiddenResponse({
      type: ErrorResponseDto,
      description: `the role lacks the ${options.permission} permission (code forbidden), or csrf_failed / password_change_required`,
    }),
  );
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export const CSRF_IN_MULTIPART_KEY = 'csrfInMultipartBody';
/**
 * A multipart form route of the web UI (a file upload without JavaScript): the guard cannot read the body, which is
 * parsed after it, so the handler checks the _csrf field itself (csrfTokenMatches) before it does anything.
 */
export const CsrfCheckedInMultipartBody = () => SetMetadata(CSRF_IN_MULTIPART_KEY, true);

/**
 * The API token a request was signed in with: the route's permission must be in `permissions` (beside the creator's
 * role), and only `systemIds` (when not null) are visible. Absent for a session (cookie or session bearer).
 */
export interface ActorToken {
  id: string;
  name: string;
  permissions: readonly Permission[];
  systemIds: readonly string[] | null;
}

/** The signed-in user as services see it. */
export interface Actor {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  sessionId: string;
  csrfToken: string;
  /** True while the user still holds a one-time password: the guard then allows only account:self routes. */
  mustChangePassword?: boolean;
  /** Set when the request carries an API token (Authorization: Bearer wbt_...) instead of a session. */
  token?: ActorToken;
}

export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  return context.switchToHttp().getRequest<{ actor: Actor }>().actor;
});
