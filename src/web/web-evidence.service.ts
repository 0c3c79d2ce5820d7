import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { Readable } from 'node:stream';
import { AiSystemsService } from '../ai-systems/ai-systems.service';
import { Actor } from '../common/auth.decorators';
import { DomainError } from '../common/domain-errors';
import { UploadEvidenceDto } from '../evidence/dto/evidence.dto';
import { EvidenceService, UploadedEvidenceFile } from '../evidence/evidence.service';
import { EvidenceUploadFormDto } from './dto/web-forms.dto';
import { Flash } from './web-flash';
import { safeBack } from './web-session.service';
import { fieldMessage } from './field-labels';
import { WebLayout } from './web-layout.service';

/** Shown in the page from the file route (an <iframe> or <img>); text is shown as escaped text; the rest downloads. */
export type PreviewKind = 'pdf' | 'image' | 'text' | 'download';

const INLINE_TYPES: Readonly<Record<string, PreviewKind>> = {
  'application/pdf': 'pdf',
  'image/png': 'image',
  'image/jpeg': 'image',
  'image/gif': 'image',
};
const TEXT_TYPES = new Set(['text/plain', 'text/csv', 'text/markdown', 'application/json']);
/** Text beyond this is cut in the page (the whole file stays a download away). */
const TEXT_PREVIEW_BYTES = 200 * 1024;

export function previewKind(mediaType: string): PreviewKind {
  const base = mediaType.split(';')[0].trim().toLowerCase();
  return INLINE_TYPES[base] ?? (TEXT_TYPES.has(base) ? 'text' : 'download');
}

async function headOf(stream: Readable, limit: number): Promise<{ text: string; cut: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    chunks.push(buffer);
    size += buffer.length;
    if (size >= limit) break;
  }
  stream.destroy();
  const all = Buffer.concat(chunks);
  return { text: all.subarray(0, limit).toString('utf8'), cut: all.length > limit || size > limit };
}

/**
 * One piece of evidence for people: its facts and its content in the page (issue 17.2), and the upload form that
 * works without JavaScript (issue 17.4). Access is the API's: EvidenceService scopes every read to what the actor
 * may see, so an auditor opening evidence outside their audit gets the same 404 as the API.
 */
@Injectable()
export class WebEvidenceService {
  constructor(
    private readonly layout: WebLayout,
    private readonly evidence: EvidenceService,
    private readonly systems: AiSystemsService,
  ) {}

  async evidencePage(actor: Actor, id: string) {
    const item = await this.evidence.get(actor, id);
    const system = await this.systems.get(actor, item.systemId);
    const preview = previewKind(item.mediaType);
    const text =
      preview === 'text' ? await headOf((await this.evidence.content(actor, id)).stream, TEXT_PREVIEW_BYTES) : null;
    return this.layout.page(actor, item.title, {
      evidence: item,
      system,
      preview,
      text,
      fileUrl: `/evidence/${id}/file`,
      downloadUrl: `/api/v1/evidence/${id}/content`,
    });
  }

  /** The stored file for the preview: inline only for PDF and images, every other type as an attachment. */
  async file(actor: Actor, id: string) {
    const { stream, evidence } = await this.evidence.content(actor, id);
    const kind = previewKind(evidence.mediaType);
    return { stream, evidence, inline: kind === 'pdf' || kind === 'image' };
  }

  /**
   * The upload form posted without JavaScript: validated with the API's DTO, then the same service call as the API.
   * What happened goes back to the system page as a flash message (post/redirect/get), a refusal in words.
   */
  async upload(
    actor: Actor,
    systemId: string,
    form: EvidenceUploadFormDto,
    file: UploadedEvidenceFile | undefined,
  ): Promise<{ redirect: string; flash: Flash }> {
    const back = safeBack(form.back, `/systems/${systemId}`);
    // A field left blank is not a value (the date inputs send ""); the DTO then names only what is really missing.
    const plain = Object.fromEntries(
      Object.entries({
        title: form.title?.trim(),
        kind: form.kind,
        controlCodes: form.controlCodes,
        collectedAt: form.collectedAt,
        validUntil: form.validUntil,
      }).filter(([, value]) => value !== undefined && value !== ''),
    );
    const dto = plainToInstance(UploadEvidenceDto, plain);
    const errors = await validate(dto, { whitelist: true });
    if (errors.length)
      return {
        redirect: `${back}${form.back ? '#upload' : '#evidence-upload'}`,
        flash: {
          kind: 'error',
          text: `The upload was refused: ${errors.map((e) => fieldMessage(e, UPLOAD_LABELS)).join('; ')}.`,
        },
      };
    try {
      const created = await this.evidence.upload(actor, systemId, dto, file);
      const same = await this.sameFileEvidence(actor, systemId, created);
      return {
        redirect: form.back ? back : `${back}#evidence`,
        flash: {
          kind: 'ok',
          text:
            `Uploaded "${created.title}": stored and waiting for review.` +
            (same.length
              ? ` Note: the same file (SHA-256 ${created.sha256.slice(0, 12)}…) is already evidence for ${same
                  .map((e) => `${e.controls.join(', ')} as "${e.title}"`)
                  .join('; ')}.`
              : ''),
        },
      };
    } catch (error) {
      if (
        !(error instanceof DomainError) ||
        !['invalid', 'unsupported_type', 'conflict', 'too_large'].includes(error.kind)
      )
        throw error;
      return {
        redirect: `${back}${form.back ? '#upload' : '#evidence-upload'}`,
        flash: { kind: 'error', text: `The upload was refused: ${error.message}` },
      };
    }
  }

  /** Other evidence of the system with the same file (SHA-256) for one of the same controls: likely a duplicate. */
  private async sameFileEvidence(
    actor: Actor,
    systemId: string,
    created: { id: string; sha256: string; controlCodes: string[] },
  ) {
    const items = await this.evidence.listForSystem(actor, systemId);
    return items
      .filter((e) => e.id !== created.id && e.sha256 === created.sha256)
      .map((e) => ({ title: e.title, controls: e.controlCodes.filter((c) => created.controlCodes.includes(c)) }))
      .filter((e) => e.controls.length > 0);
  }
}

const UPLOAD_LABELS: Readonly<Record<string, string>> = {
  title: 'Title',
  kind: 'Kind',
  controlCodes: 'Controls it supports',
  collectedAt: 'Collected on',
  validUntil: 'Valid until',
};
