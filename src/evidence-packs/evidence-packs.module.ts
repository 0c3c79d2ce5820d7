import { Module } from '@nestjs/common';
import { AiSystemsModule } from '../ai-systems/ai-systems.module';
import { AccessScopeModule } from '../access-scope/access-scope.module';
import { CatalogModule } from '../catalog/catalog.module';
import { ControlsModule } from '../controls/controls.module';
import { EvidenceModule } from '../evidence/evidence.module';
import { EventsModule } from '../events/events.module';
import { IncidentsModule } from '../incidents/incidents.module';
import { OscalModule } from '../oscal/oscal.module';
import { EvidencePackAssembler } from './evidence-pack-assembler';
import { EvidencePackRenderer } from './evidence-pack-renderer';
import { EvidencePacksController } from './evidence-packs.controller';
import { EvidencePacksRepository } from './evidence-packs.repository';
import { EvidencePacksService } from './evidence-packs.service';
import { PackBundleService } from './pack-bundle.service';
import { PackFileStore } from './pack-file-store';
import { PackHtmlBuilder } from './pack-html';
import { PackSourcesRepository } from './pack-sources.repository';
import { PackWorker } from './pack-worker.service';
import { PdfModule } from '../pdf/pdf.module';
import { ThreatsModule } from '../threats/threats.module';
import { UsersModule } from '../users/users.module';

@Module({
  // The pack lists incidents; the renderer is its own module, which incident reports use too.
  imports: [
    AiSystemsModule,
    AccessScopeModule,
    CatalogModule,
    ControlsModule,
    EvidenceModule,
    EventsModule,
    IncidentsModule,
    OscalModule,
    PdfModule,
    ThreatsModule,
    UsersModule,
  ],
  controllers: [EvidencePacksController],
  providers: [
    PackHtmlBuilder,
    EvidencePacksRepository,
    PackSourcesRepository,
    EvidencePackAssembler,
    EvidencePackRenderer,
    PackFileStore,
    PackWorker,
    PackBundleService,
    EvidencePacksService,
  ],
  exports: [EvidencePacksService],
})
export class EvidencePacksModule {}
