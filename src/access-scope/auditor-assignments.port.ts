import { Injectable } from '@nestjs/common';
import { BoundPort } from '../common/bound-port';

/** Which audits a user is assigned to as auditor, and the systems those audits cover: owned by the audits module. */
export interface AuditorAssignments {
  findSystemIdsForAuditor(userId: string): Promise<string[]>;
  findAuditIdsForAuditor(userId: string): Promise<string[]>;
}

/**
 * Owned by access-scope so that it need not import audits (which reads systems, which are scoped by AccessScope);
 * AuditsModule supplies it.
 */
@Injectable()
export class AuditorAssignmentsPort extends BoundPort<AuditorAssignments> implements AuditorAssignments {
  constructor() {
    super('auditor assignments', 'AuditsModule');
  }

  findSystemIdsForAuditor(userId: string): Promise<string[]> {
    return this.target.findSystemIdsForAuditor(userId);
  }

  findAuditIdsForAuditor(userId: string): Promise<string[]> {
    return this.target.findAuditIdsForAuditor(userId);
  }
}
