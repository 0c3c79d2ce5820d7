import { Injectable } from '@nestjs/common';
import { Actor, Permission } from './auth.decorators';
import { Role } from '../users/entities/user.entity';
import { loadRolePermissions, RolePermissions } from './role-permissions';

/** policies/roles.yaml, loaded and validated once at start-up. */
@Injectable()
export class RolePermissionsProvider {
  private readonly table: RolePermissions = loadRolePermissions();

  /** What a role holds, whoever asks: for questions about a role itself (who may be assigned, a role change). */
  allows(role: Role, permission: Permission): boolean {
    return this.table[role]?.has(permission) ?? false;
  }

  /**
   * What this signed-in actor may do: the role holds the permission and, for a request made with an API token, the
   * token was granted it too. A token never widens its creator: a creator who loses a permission loses it in every
   * token at once, as the role is read on each request.
   */
  can(actor: Pick<Actor, 'role' | 'token'>, permission: Permission): boolean {
    return this.allows(actor.role, permission) && (!actor.token || actor.token.permissions.includes(permission));
  }
}
