import { Module } from '@nestjs/common';
import { ChromiumPdfRenderer, PDF_RENDERER } from './chromium-pdf-renderer';

/**
 * The Chromium PDF renderer on its own: evidence packs, incident reports and the health check print or report
 * through it, and none of them needs the others' modules for that.
 */
@Module({
  providers: [ChromiumPdfRenderer, { provide: PDF_RENDERER, useExisting: ChromiumPdfRenderer }],
  exports: [PDF_RENDERER],
})
export class PdfRendererModule {}
