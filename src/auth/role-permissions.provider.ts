import { Injectable } from '@nestjs/common';
import { Permission } from '../common/auth.decorators';
import { Role } from '../users/entities/user.entity';
import { loadRolePermissions, RolePermissions } from './role-permissions';

/** policies/roles.yaml, loaded and validated once at start-up. */
@Injectable()
export class RolePermissionsProvider {
  private readonly table: RolePermissions = loadRolePermissions();

  allows(role: Role, permission: Permission): boolean {
    return this.table[role]?.has(permission) ?? false;
  }
}
