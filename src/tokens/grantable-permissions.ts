import { Permission, PERMISSIONS } from '../common/auth.decorators';

/**
 * What a token may be given (and only where the creator's role holds it too). Never user administration, tokens or
 * the account itself: a leaked pipeline token must not mint tokens, create users or change a password. Never the
 * `-all` breadths that a token's scope narrows instead: systems:read-all (a token sees its creator's systems, cut down
 * to its systemIds) and audit-log:read-all (a token reads only the entries of its creator's audits). Never webhook
 * administration: a leaked token must not register a receiver outside the organisation for every event's titles.
 */
export const NEVER_GRANTABLE: ReadonlySet<Permission> = new Set<Permission>([
  'account:self',
  'users:read',
  'users:write',
  'tokens:manage',
  'systems:read-all',
  'audit-log:read-all',
  'webhooks:manage',
]);

/**
 * What a token limited to some systems may hold: permissions whose every route answers within one system's scope
 * (AccessScope, which intersects the token's systems). The others reach records across systems: the audit log and
 * audits of the creator's audits, task lists, packs of audits, incidents, or a new system outside the list
 * (systems:write). A pipeline that needs them uses a token without a system limit, which says so.
 */
export const SYSTEM_SCOPED_PERMISSIONS: ReadonlySet<Permission> = new Set<Permission>([
  'catalog:read',
  'systems:read',
  'controls:write',
  'requirements:decide',
  'evidence:read',
  'evidence:upload',
  'evidence:review',
  'tests:read',
  'tests:write',
]);

export const GRANTABLE_PERMISSIONS: readonly Permission[] = PERMISSIONS.filter((p) => !NEVER_GRANTABLE.has(p));
