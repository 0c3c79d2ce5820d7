import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { PDF_RENDERER, PdfRenderer } from './chromium-pdf-renderer';
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
    const model = await this.assembler.assemble(request);
    signal?.throwIfAborted();
    onAssembled?.(model);
    // Outline on: auditors navigate long packs by it. pdf-outline.ts adds the bookmarks after the print, so it needs no
    // tagged PDF and costs little (see bench/pack-render.bench.ts).
    const rendered = await this.pdf.render(this.html.build(model), {
      timeoutMs: this.config.packTimeoutMs,
      footer: this.html.footer(model),
      outline: true,
      signal,
    });
    return { model, pdf: rendered.pdf, pages: rendered.pages, ms: Date.now() - started };
  }
}
