import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { PDF_RENDERER, PdfRenderer, RenderedPdf } from '../pdf/chromium-pdf-renderer';
import { EvidencePackAssembler, PackScopeRequest } from './evidence-pack-assembler';
import { PackHtmlBuilder } from './pack-html';
import { PackModel } from './pack-model';

export interface RenderedPack {
  model: PackModel;
  pdf: Buffer;
  pages: number;
  /** Assembly, HTML and PDF together. */
  ms: number;
}

/** Assembles a pack from the database and prints it: shared by the job worker and the pack:render CLI. */
@Injectable()
export class EvidencePackRenderer {
  constructor(
    private readonly assembler: EvidencePackAssembler,
    private readonly html: PackHtmlBuilder,
    @Inject(PDF_RENDERER) private readonly pdf: PdfRenderer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * `signal` aborts the job (the worker's timeout, a lost claim): between steps here, and the print itself.
   * `onAssembled` sees the model before the print starts, so work that needs only the model can run beside it.
   */
  async render(
    request: PackScopeRequest,
    signal?: AbortSignal,
    onAssembled?: (model: PackModel) => void,
  ): Promise<RenderedPack> {
    const started = Date.now();
    const built = this.assembler.assemble(request).then((model) => {
      signal?.throwIfAborted();
      onAssembled?.(model);
      return { model, html: this.html.build(model), footer: this.html.footer(model) };
    });
    // Outline on: auditors navigate long packs by it. pdf-outline.ts adds the bookmarks after the print, so it needs no
    // tagged PDF and costs little (see bench/pack-render.bench.ts).
    const options = { timeoutMs: this.config.packTimeoutMs, outline: true, signal };
    // The renderer opens the job's fresh page while the pack is assembled, when it can (renderWhenBuilt).
    let rendered: RenderedPdf;
    try {
      rendered = this.pdf.renderWhenBuilt
        ? await this.pdf.renderWhenBuilt(built, options)
        : await built.then(({ html, footer }) => this.pdf.render(html, { ...options, footer }));
    } catch (error) {
      // A render that failed early (no browser, an abort) returns only once the assembly has stopped as well.
      await built.catch(() => undefined);
      throw error;
    }
    return { model: (await built).model, pdf: rendered.pdf, pages: rendered.pages, ms: Date.now() - started };
  }
}
