import { forwardRef, Global, Module } from '@nestjs/common';
import { IncidentsModule } from '../incidents/incidents.module';
import { OscalModule } from '../oscal/oscal.module';
import { ChromiumPdfRenderer, PDF_RENDERER } from './chromium-pdf-renderer';
import { EvidencePackAssembler } from './evidence-pack-assembler';
import { EvidencePackRenderer } from './evidence-pack-renderer';
import { EvidencePacksController } from './evidence-packs.controller';
import { EvidencePacksRepository } from './evidence-packs.repository';
import { EvidencePacksService } from './evidence-packs.service';
import { PackFileStore } from './pack-file-store';
import { PackHtmlBuilder } from './pack-html';
import { PackSourcesRepository } from './pack-sources.repository';
import { PackWorker } from './pack-worker.service';

@Global()
@Module({
  // forwardRef: the incidents module imports this one for the PDF renderer; the pack lists incidents.
  imports: [OscalModule, forwardRef(() => IncidentsModule)],
  controllers: [EvidencePacksController],
  providers: [
    ChromiumPdfRenderer,
    { provide: PDF_RENDERER, useExisting: ChromiumPdfRenderer },
    PackHtmlBuilder,
    EvidencePacksRepository,
    PackSourcesRepository,
    EvidencePackAssembler,
    EvidencePackRenderer,
    PackFileStore,
    PackWorker,
    EvidencePacksService,
  ],
  exports: [PDF_RENDERER, EvidencePacksService, EvidencePackRenderer, PackSourcesRepository],
})
export class EvidencePacksModule {}
