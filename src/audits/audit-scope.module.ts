import { Global, Module } from '@nestjs/common';
import { AccessScope } from './access-scope.service';
import { AuditScopeRepository } from './audit-scope.repository';

@Global()
@Module({
  providers: [AuditScopeRepository, AccessScope],
  exports: [AccessScope],
})
export class AuditScopeModule {}
