import { Injectable } from '@nestjs/common';
import { RolePermissionsProvider } from '../common/role-permissions.provider';
import { Actor, Permission } from '../common/auth.decorators';

/** What every page needs: who is signed in, what they may do (for the menu and buttons), the CSRF token. */
@Injectable()
export class WebLayout {
  constructor(private readonly permissions: RolePermissionsProvider) {}

  page(actor: Actor, title: string, model: object = {}) {
    const can = (permission: Permission) => this.permissions.can(actor, permission);
    return {
      title,
      user: { displayName: actor.displayName, role: actor.role, roleName: actor.role.replace(/_/g, ' ') },
      csrfToken: actor.csrfToken,
      can: {
        writeSystems: can('systems:write'),
        writeControls: can('controls:write'),
        upload: can('evidence:upload'),
        auditLog: can('audit-log:read'),
        tasks: can('tasks:read'),
        packs: can('packs:read'),
        incidents: can('incidents:read'),
        audits: can('audits:read'),
        users: can('users:read'),
        tokens: can('tokens:manage'),
        writeIncidents: can('incidents:write'),
      },
      ...model,
    };
  }
}
