import { Global, Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { EVIDENCE_STORAGE } from './evidence-storage';
import { EvidenceUploadInterceptor } from './evidence-upload.interceptor';
import { EvidenceController } from './evidence.controller';
import { EvidenceRepository } from './evidence.repository';
import { EvidenceService } from './evidence.service';
import { LocalDiskEvidenceStorage } from './local-disk-evidence-storage';

@Global()
@Module({
  imports: [EventsModule],
  controllers: [EvidenceController],
  providers: [
    EvidenceRepository,
    EvidenceService,
    EvidenceUploadInterceptor,
    LocalDiskEvidenceStorage,
    { provide: EVIDENCE_STORAGE, useExisting: LocalDiskEvidenceStorage },
  ],
  exports: [EvidenceRepository, EvidenceService, EVIDENCE_STORAGE],
})
export class EvidenceModule {}
