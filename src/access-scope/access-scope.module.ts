import { Module } from '@nestjs/common';
import { AccessScope } from './access-scope.service';
import { AuditorAssignmentsPort } from './auditor-assignments.port';

/**
 * Record-level scoping on its own, below every module that lists systems or their records; the auditor assignments
 * it reads come from the audits module through AuditorAssignmentsPort.
 */
@Module({
  providers: [AccessScope, AuditorAssignmentsPort],
  exports: [AccessScope, AuditorAssignmentsPort],
})
export class AccessScopeModule {}
