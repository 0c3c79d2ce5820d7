import { Module } from '@nestjs/common';
import { AiSystemsModule } from '../ai-systems/ai-systems.module';
import { AccessScopeModule } from '../access-scope/access-scope.module';
import { ControlsModule } from '../controls/controls.module';
import { EvidenceModule } from '../evidence/evidence.module';
import { EvidenceUploadInterceptor } from '../evidence/evidence-upload.interceptor';
import { EvidencePushController } from './evidence-push.controller';
import { EvidencePushService } from './evidence-push.service';
import { IdempotencyKeysRepository } from './idempotency-keys.repository';

/**
 * The evidence upload route: above evidence and controls, because its receipt reports the coverage changes an
 * upload causes (controls' coverage reads evidence, so evidence itself cannot ask it).
 */
@Module({
  imports: [AiSystemsModule, AccessScopeModule, ControlsModule, EvidenceModule],
  controllers: [EvidencePushController],
  providers: [EvidencePushService, EvidenceUploadInterceptor, IdempotencyKeysRepository],
})
export class EvidencePushModule {}
