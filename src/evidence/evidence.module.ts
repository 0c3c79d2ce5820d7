import { Module } from '@nestjs/common';
import { AiSystemsModule } from '../ai-systems/ai-systems.module';
import { AuditScopeModule } from '../audits/audit-scope.module';
import { CatalogModule } from '../catalog/catalog.module';
import { EventsModule } from '../events/events.module';
import { EVIDENCE_STORAGE } from './evidence-storage';
import { EvidenceUploadInterceptor } from './evidence-upload.interceptor';
import { EvidenceController } from './evidence.controller';
import { EvidenceRepository } from './evidence.repository';
import { EvidenceService } from './evidence.service';
import { LocalDiskEvidenceStorage } from './local-disk-evidence-storage';
import { SystemControlsPort } from './system-controls.port';

@Module({
  imports: [AiSystemsModule, AuditScopeModule, CatalogModule, EventsModule],
  controllers: [EvidenceController],
  providers: [
    EvidenceRepository,
    EvidenceService,
    EvidenceUploadInterceptor,
    LocalDiskEvidenceStorage,
    { provide: EVIDENCE_STORAGE, useExisting: LocalDiskEvidenceStorage },
    SystemControlsPort,
  ],
  exports: [EvidenceRepository, EvidenceService, EVIDENCE_STORAGE, SystemControlsPort],
})
export class EvidenceModule {}
