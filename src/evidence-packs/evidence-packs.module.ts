import { Global, Module } from '@nestjs/common';
import { ChromiumPdfRenderer, PDF_RENDERER } from './chromium-pdf-renderer';

@Global()
@Module({
  providers: [ChromiumPdfRenderer, { provide: PDF_RENDERER, useExisting: ChromiumPdfRenderer }],
  exports: [PDF_RENDERER],
})
export class EvidencePacksModule {}
