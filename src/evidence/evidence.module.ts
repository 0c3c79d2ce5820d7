import { Module } from '@nestjs/common';
import { AiSystemsModule } from '../ai-systems/ai-systems.module';
import { AccessScopeModule } from '../access-scope/access-scope.module';
import { CatalogModule } from '../catalog/catalog.module';
import { EventsModule } from '../events/events.module';
import { EVIDENCE_STORAGE } from './evidence-storage';
import { EvidenceUploadInterceptor } from './evidence-upload.interceptor';
import { EvidenceController } from './evidence.controller';
import { EvidenceQueries } from './evidence.queries';
import { EvidenceRepository } from './evidence.repository';
import { EvidenceService } from './evidence.service';
import { EVIDENCE_KIND_POLICY, loadEvidenceKindPolicy } from './kinds/evidence-kind-policy';
import { EvaluationTestsPort } from './kinds/evaluation-tests.port';
import { StructuredEvidenceService } from './kinds/structured-evidence.service';
import { LocalDiskEvidenceStorage } from './local-disk-evidence-storage';
import { SystemControlsPort } from './system-controls.port';

@Module({
  imports: [AiSystemsModule, AccessScopeModule, CatalogModule, EventsModule],
  controllers: [EvidenceController],
  providers: [
    EvidenceQueries,
    EvidenceRepository,
    EvidenceService,
    EvidenceUploadInterceptor,
    LocalDiskEvidenceStorage,
    { provide: EVIDENCE_STORAGE, useExisting: LocalDiskEvidenceStorage },
    SystemControlsPort,
    // Loaded and compiled once at start: a broken schema or kinds.yaml stops the app with the file and field named.
    { provide: EVIDENCE_KIND_POLICY, useFactory: () => loadEvidenceKindPolicy() },
    StructuredEvidenceService,
    EvaluationTestsPort,
  ],
  exports: [
    EvidenceQueries,
    EvidenceService,
    EVIDENCE_STORAGE,
    SystemControlsPort,
    EVIDENCE_KIND_POLICY,
    EvaluationTestsPort,
  ],
})
export class EvidenceModule {}
