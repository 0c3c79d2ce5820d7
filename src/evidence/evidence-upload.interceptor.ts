import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import multer, { MulterError, StorageEngine } from 'multer';
import { catchError, from, Observable, switchMap, throwError } from 'rxjs';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { DomainError, invalid } from '../common/domain-errors';
import { formFieldsProblem } from '../common/json-body';
import { EVIDENCE_STORAGE, EvidenceStorage, StagedFile } from './evidence-storage';
import { UploadedEvidenceFile } from './evidence.service';

type UploadRequest = Request & { evidenceFile?: UploadedEvidenceFile };

/**
 * Parses a multipart upload, streaming the "file" part straight into evidence storage's temp area (hashing as it
 * goes, bounded by the size limit) and leaving the text fields in the body for the DTO. Whatever happens later in
 * the request, a staged file that was not committed is discarded.
 */
@Injectable()
export class EvidenceUploadInterceptor implements NestInterceptor {
  private readonly upload: ReturnType<typeof multer>;

  constructor(
    @Inject(EVIDENCE_STORAGE) private readonly storage: EvidenceStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    const engine: StorageEngine = {
      _handleFile: (_req, file, callback) => {
        this.storage.stage(file.stream, this.config.maxUploadBytes).then(
          (staged) => callback(null, { staged } as unknown as Express.Multer.File),
          (error) => callback(error),
        );
      },
      _removeFile: (_req, file, callback) => {
        const staged = (file as unknown as { staged?: StagedFile }).staged;
        (staged ? this.storage.discard(staged) : Promise.resolve()).then(() => callback(null), callback);
      },
    };
    this.upload = multer({
      storage: engine,
      // Browsers send file names as raw UTF-8; read as latin1 (multer's default) a bidi override would become mojibake
      // and slip past the name checks.
      defParamCharset: 'utf8',
      limits: { files: 1, fields: 250, fieldSize: 16 * 1024, parts: 260, headerPairs: 100 },
    });
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<UploadRequest>();
    const response = context.switchToHttp().getResponse<Response>();
    if (!request.is('multipart/form-data')) {
      return throwError(
        () => new DomainError('unsupported_type', 'Send the evidence as multipart/form-data with a "file" part'),
      );
    }
    const parsed = new Promise<void>((resolve, reject) => {
      this.upload.single('file')(request, response, (error: unknown) => {
        if (!error) {
          // multer keeps "__proto__[x]" or "constructor[...]" as own keys (the DTO step would drop them silently), and
          // text fields get the same control-character rule as JSON and url-encoded bodies.
          const problem = formFieldsProblem((request.body ?? {}) as Record<string, unknown>);
          const file = request.file as unknown as
            { staged: StagedFile; originalname: string; mimetype: string } | undefined;
          if (file)
            request.evidenceFile = {
              staged: file.staged,
              originalName: file.originalname,
              claimedMediaType: file.mimetype,
            };
          if (problem) reject(invalid(problem));
          else resolve();
          return;
        }
        if (error instanceof DomainError) reject(error);
        else if (error instanceof MulterError)
          reject(invalid(`The upload could not be read: ${error.message}${error.field ? ` (${error.field})` : ''}`));
        else reject(invalid(`The upload could not be read: ${(error as Error).message}`));
      });
    });
    return from(parsed).pipe(
      switchMap(() => next.handle()),
      catchError((error: unknown) => {
        const staged = request.evidenceFile?.staged;
        return from(staged ? this.storage.discard(staged) : Promise.resolve()).pipe(
          switchMap(() => throwError(() => error)),
        );
      }),
    );
  }
}
