import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { Permission, PERMISSIONS } from './auth.decorators';
import { PolicyError } from './policy-error';
import { Role, ROLES } from '../users/entities/user.entity';

export type RolePermissions = Record<Role, ReadonlySet<Permission>>;

/** Loads policies/roles.yaml; an unknown role or permission stops start-up with the file, entry and field named. */
export function loadRolePermissions(file = path.join(process.cwd(), 'policies', 'roles.yaml')): RolePermissions {
  const name = path.relative(process.cwd(), file);
  let doc: unknown;
  try {
    doc = parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new PolicyError(name, '(document)', 'yaml', (error as Error).message);
  }
  const roles = (doc as { roles?: unknown })?.roles;
  if (typeof roles !== 'object' || roles === null)
    throw new PolicyError(name, '(document)', 'roles', 'must be a map of role -> permissions');
  const result = {} as Record<Role, Set<Permission>>;
  for (const [role, permissions] of Object.entries(roles)) {
    if (!ROLES.includes(role as Role))
      throw new PolicyError(name, role, 'role', `unknown role; expected one of ${ROLES.join(', ')}`);
    if (!Array.isArray(permissions)) throw new PolicyError(name, role, 'permissions', 'must be a list');
    for (const permission of permissions as unknown[]) {
      if (!PERMISSIONS.includes(permission as Permission)) {
        throw new PolicyError(name, role, 'permissions', `unknown permission "${String(permission)}"`);
      }
    }
    result[role as Role] = new Set(permissions as Permission[]);
  }
  for (const role of ROLES) {
    if (!result[role])
      throw new PolicyError(name, role, 'role', 'missing; every role must be listed (an empty list denies all)');
  }
  return result;
}
