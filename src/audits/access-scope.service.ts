import { Injectable } from '@nestjs/common';
import { Actor } from '../common/auth.decorators';
import { notFound } from '../common/domain-errors';
import { AuditScopeRepository } from './audit-scope.repository';

/**
 * Record-level scoping. Auditors see only the systems (and their evidence, coverage and packs) of the audits they
 * are assigned to; everyone else with the route's permission sees all. Out-of-scope records answer 404, the same
 * as records that do not exist, so ids cannot be probed.
 */
@Injectable()
export class AccessScope {
  constructor(private readonly scope: AuditScopeRepository) {}

  /** null means "every system". */
  async visibleSystemIds(actor: Actor): Promise<string[] | null> {
    if (actor.role !== 'auditor') return null;
    return this.scope.findSystemIdsForAuditor(actor.id);
  }

  async assertSystemVisible(actor: Actor, systemId: string, what = 'AI system', id = systemId): Promise<void> {
    const visible = await this.visibleSystemIds(actor);
    if (visible && !visible.includes(systemId)) throw notFound(what, id);
  }

  async visibleAuditIds(actor: Actor): Promise<string[] | null> {
    if (actor.role !== 'auditor') return null;
    return this.scope.findAuditIdsForAuditor(actor.id);
  }
}
