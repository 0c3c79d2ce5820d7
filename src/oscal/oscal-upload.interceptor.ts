import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import multer, { MulterError } from 'multer';
import { from, Observable, switchMap } from 'rxjs';
import { DomainError, invalid } from '../common/domain-errors';
import { jsonBodyReviver, jsonDepth, MAX_JSON_DEPTH } from '../common/json-body';

/** Largest OSCAL file an import takes (an OSCAL mapping collection of a large catalog pair is a few MB). */
export const MAX_OSCAL_FILE_BYTES = 20 * 1024 * 1024;

/**
 * Reads an OSCAL JSON document for an import: a multipart "file" part of at most MAX_OSCAL_FILE_BYTES (413 past it,
 * before anything is parsed or stored), held in memory and parsed with the same rules as JSON bodies (valid UTF-8, no
 * control characters, nesting bounded); or an application/json body, which the global parser bounds at 1 MB. The
 * document replaces request.body.
 */
@Injectable()
export class OscalUploadInterceptor implements NestInterceptor {
  private readonly upload = multer({
    storage: multer.memoryStorage(),
    limits: { files: 1, fileSize: MAX_OSCAL_FILE_BYTES, fields: 10, parts: 12, fieldSize: 1024, headerPairs: 100 },
  });

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    if (!request.is('multipart/form-data')) return next.handle();
    const parsed = new Promise<void>((resolve, reject) => {
      this.upload.single('file')(request, response, (error: unknown) => {
        if (error instanceof MulterError && error.code === 'LIMIT_FILE_SIZE')
          return reject(
            new DomainError('too_large', `The OSCAL file is larger than ${MAX_OSCAL_FILE_BYTES / 1024 / 1024} MB`),
          );
        if (error) return reject(invalid(`The upload could not be read: ${(error as Error).message}`));
        const file = request.file;
        if (!file)
          return reject(invalid('file is required: send the OSCAL JSON document as the multipart part "file"'));
        try {
          request.body = parseJsonFile(file.buffer);
          resolve();
        } catch (e) {
          reject(e instanceof DomainError ? e : invalid(`file is not JSON: ${(e as Error).message}`));
        }
      });
    });
    return from(parsed).pipe(switchMap(() => next.handle()));
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function parseJsonFile(buffer: Buffer): unknown {
  let text: string;
  try {
    text = utf8.decode(buffer);
  } catch {
    throw invalid('file is not valid UTF-8');
  }
  if (jsonDepth(buffer) > MAX_JSON_DEPTH) throw invalid(`file is nested deeper than ${MAX_JSON_DEPTH} levels`);
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''), jsonBodyReviver);
  } catch (e) {
    throw invalid(`file is not usable JSON: ${(e as Error).message}`);
  }
}
