import { Permission, PERMISSIONS } from '../common/auth.decorators';

/**
 * What a token may be given (and only where the creator's role holds it too). Never user administration, tokens or
 * the account itself: a leaked pipeline token must not mint tokens, create users or change a password. Never the
 * `-all` breadths that a token's scope narrows instead: systems:read-all (a token sees its creator's systems, cut down
 * to its systemIds) and audit-log:read-all (a token reads only the entries of its creator's audits).
 */
export const NEVER_GRANTABLE: ReadonlySet<Permission> = new Set<Permission>([
  'account:self',
  'users:read',
  'users:write',
  'tokens:manage',
  'systems:read-all',
  'audit-log:read-all',
]);

export const GRANTABLE_PERMISSIONS: readonly Permission[] = PERMISSIONS.filter((p) => !NEVER_GRANTABLE.has(p));
