import { Module } from '@nestjs/common';
import { ChromiumPdfRenderer, PDF_RENDERER } from './chromium-pdf-renderer';

/**
 * The Chromium PDF renderer on its own (with the checked Handlebars template loader in pack-templates.ts, a plain
 * function): evidence packs, incident reports and the health check print or report through it, so incidents need not
 * import evidence-packs, which lists incidents in its packs.
 */
@Module({
  providers: [ChromiumPdfRenderer, { provide: PDF_RENDERER, useExisting: ChromiumPdfRenderer }],
  exports: [PDF_RENDERER],
})
export class PdfModule {}
