import { Module } from '@nestjs/common';
import { AccessScope } from './access-scope.service';
import { AuditScopeRepository } from './audit-scope.repository';

@Module({
  providers: [AuditScopeRepository, AccessScope],
  exports: [AccessScope],
})
export class AuditScopeModule {}
