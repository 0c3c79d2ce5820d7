import { Global, Module } from '@nestjs/common';
import { SigningController } from '../signing/signing.controller';
import { SigningKeyService } from '../signing/signing-key.service';
import { SigningKeysRepository } from '../signing/signing-keys.repository';
import { AuditCheckpointService } from './audit-checkpoint.service';
import { AuditCheckpointsRepository } from './audit-checkpoints.repository';
import { AuditLogController } from './audit-log.controller';
import { AuditLogRepository } from './audit-log.repository';
import { AuditLogService } from './audit-log.service';
import { AuditProofController } from './audit-proof.controller';

/**
 * The audit log, its signed checkpoints and the signing key in one module: a key change is audited, and
 * checkpoints are signed with the key, so apart they would import each other.
 */
@Global()
@Module({
  controllers: [AuditLogController, AuditProofController, SigningController],
  providers: [
    AuditLogRepository,
    AuditLogService,
    SigningKeysRepository,
    SigningKeyService,
    AuditCheckpointsRepository,
    AuditCheckpointService,
  ],
  exports: [AuditLogService, SigningKeyService, AuditCheckpointService],
})
export class AuditLogModule {}
