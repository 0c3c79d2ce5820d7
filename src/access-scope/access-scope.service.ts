import { Injectable } from '@nestjs/common';
import { RolePermissionsProvider } from '../common/role-permissions.provider';
import { Actor } from '../common/auth.decorators';
import { notFound } from '../common/domain-errors';
import { Role } from '../users/entities/user.entity';
import { AuditorAssignmentsPort } from './auditor-assignments.port';

/**
 * Record-level scoping. Without systems:read-all a user sees only the systems (and their evidence, coverage and
 * packs) of the audits they are assigned to; without audits:read-all, only those audits. Out-of-scope records answer
 * 404, the same as records that do not exist, so ids cannot be probed.
 */
@Injectable()
export class AccessScope {
  constructor(
    private readonly scope: AuditorAssignmentsPort,
    private readonly permissions: RolePermissionsProvider,
  ) {}

  /**
   * null means "every system". The role gives the breadth; an API token limited to some systems narrows it to those
   * (a token never widens its creator, and systems:read-all is not granted to tokens but read from the role).
   */
  async visibleSystemIds(actor: Actor): Promise<string[] | null> {
    const byRole = this.permissions.allows(actor.role, 'systems:read-all')
      ? null
      : await this.scope.findSystemIdsForAuditor(actor.id);
    const byToken = actor.token?.systemIds ?? null;
    if (!byToken) return byRole;
    return byRole ? byRole.filter((id) => byToken.includes(id)) : [...byToken];
  }

  async assertSystemVisible(actor: Actor, systemId: string, what = 'AI system', id = systemId): Promise<void> {
    const visible = await this.visibleSystemIds(actor);
    if (visible && !visible.includes(systemId)) throw notFound(what, id);
  }

  /**
   * Who can be assigned to an audit as its auditor: a role that reads audits but not all of them, so the assignment
   * is what grants the access (assigning someone who already sees everything would scope nothing).
   */
  isAssignableAuditor(role: Role): boolean {
    return this.permissions.allows(role, 'audits:read') && !this.permissions.allows(role, 'audits:read-all');
  }

  async visibleAuditIds(actor: Actor): Promise<string[] | null> {
    if (this.permissions.can(actor, 'audits:read-all')) return null;
    return this.scope.findAuditIdsForAuditor(actor.id);
  }
}
