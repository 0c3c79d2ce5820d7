import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { AiSystemsQueries } from '../ai-systems/ai-systems.queries';
import { AccessScope } from '../access-scope/access-scope.service';
import { Actor } from '../common/auth.decorators';
import { conflict, invalid, notFound } from '../common/domain-errors';
import { CLOCK, Clock, iso } from '../common/time';
import { computeCoverage, CoverageInput } from '../controls/coverage';
import { CoverageService } from '../controls/coverage.service';
import { isUniqueViolation } from '../database/unique-violation';
import { UploadEvidenceDto } from '../evidence/dto/evidence.dto';
import { EVIDENCE_STORAGE, EvidenceStorage } from '../evidence/evidence-storage';
import { EvidenceWithControls } from '../evidence/evidence.repository';
import { EvidenceService, UploadedEvidenceFile } from '../evidence/evidence.service';
import { coverageChanges } from './coverage-changes';
import { EvidenceReceiptDto } from './dto/evidence-receipt.dto';
import { IdempotencyKeyEntity } from './entities/idempotency-key.entity';
import { IdempotencyKeysRepository } from './idempotency-keys.repository';

/** How long an Idempotency-Key is remembered: a retry within this window returns the first receipt. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;
/** 1-200 printable ASCII characters (a run id, a commit SHA plus a job name, a UUID). */
const IDEMPOTENCY_KEY = /^[\x20-\x7e]{1,200}$/;

export interface PushResult {
  /** True when a repeated Idempotency-Key was answered with the first receipt (nothing stored). */
  replayed: boolean;
  receipt: EvidenceReceiptDto;
}

/**
 * Evidence uploads as pipelines push them: the upload itself (EvidenceService), answered with a receipt of the
 * coverage changes it caused, and made idempotent by an optional Idempotency-Key. The key is claimed in the upload's
 * transaction on a unique index, so of two concurrent pushes with one key exactly one stores anything.
 */
@Injectable()
export class EvidencePushService {
  constructor(
    private readonly evidence: EvidenceService,
    private readonly systems: AiSystemsQueries,
    private readonly scope: AccessScope,
    private readonly coverage: CoverageService,
    private readonly keys: IdempotencyKeysRepository,
    @Inject(EVIDENCE_STORAGE) private readonly storage: EvidenceStorage,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async push(
    actor: Actor,
    systemId: string,
    dto: UploadEvidenceDto,
    file: UploadedEvidenceFile | undefined,
    idempotencyKey: string | undefined,
  ): Promise<PushResult> {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey))
      throw invalid('The Idempotency-Key header must be 1 to 200 printable ASCII characters');
    const key = file ? (idempotencyKey ?? null) : null;
    const caller = callerScope(actor);
    const fingerprint = file ? fingerprintOf(systemId, dto, file) : '';
    const now = this.clock.now();
    const liveSince = iso(new Date(now.getTime() - IDEMPOTENCY_KEY_TTL_MS));
    // The upload's first checks, in its order: a system the caller cannot see is a 404 before any key is looked at.
    const system = await this.systems.findById(systemId);
    if (!system) throw notFound('AI system', systemId);
    await this.scope.assertSystemVisible(actor, systemId);
    if (key) {
      const earlier = await this.keys.findLive(caller, key, liveSince);
      if (earlier) {
        await this.storage.discard(file!.staged);
        return replay(earlier, fingerprint);
      }
    }
    const before = await this.coverage.inputsFor(system);
    const coverageBefore = computeCoverage(before);
    let receipt: EvidenceReceiptDto | undefined;
    try {
      await this.evidence.upload(actor, systemId, dto, file, {
        inTransaction: async (tx, uploaded) => {
          const after = computeCoverage(withUpload(before, uploaded.evidence));
          receipt = {
            ...uploaded.view,
            coverageChanges: coverageChanges(coverageBefore, after),
            idempotencyKey: key,
            replayed: false,
          };
          if (key)
            await this.keys.claim(
              tx,
              Object.assign(new IdempotencyKeyEntity(), {
                id: randomUUID(),
                callerScope: caller,
                key,
                fingerprint,
                evidenceId: uploaded.view.id,
                receipt: JSON.stringify(receipt),
                createdAt: iso(now),
              }),
              liveSince,
            );
        },
      });
    } catch (error) {
      // Lost the race to a concurrent push with the same key: its transaction committed, ours stored nothing.
      const winner = key && isUniqueViolation(error) ? await this.keys.findLive(caller, key, liveSince) : null;
      if (winner) return replay(winner, fingerprint);
      throw error;
    }
    return { replayed: false, receipt: receipt! };
  }
}

/** The first receipt for a repeated key with the same content (the fingerprint covers the system); else a 409. */
function replay(earlier: IdempotencyKeyEntity, fingerprint: string): PushResult {
  const receipt = JSON.parse(earlier.receipt) as EvidenceReceiptDto;
  if (earlier.fingerprint !== fingerprint)
    throw conflict(
      `This Idempotency-Key was already used for a different upload (evidence ${receipt.id}); send a new key for new content`,
      { evidenceId: receipt.id },
      'idempotency_conflict',
    );
  return { replayed: true, receipt: { ...receipt, replayed: true } };
}

/** Whose keys a key is among: an API token's own (when the request came with one), else the user's. */
function callerScope(actor: Actor): string {
  return actor.token ? `token:${actor.token.id}` : `user:${actor.id}`;
}

/** "The same content": the system, the file's hash, size and name, and every field as sent. */
function fingerprintOf(systemId: string, dto: UploadEvidenceDto, file: UploadedEvidenceFile): string {
  const content = {
    systemId,
    sha256: file.staged.sha256,
    sizeBytes: file.staged.sizeBytes,
    fileName: file.originalName,
    fields: dto,
  };
  return createHash('sha256')
    .update(JSON.stringify(sortedKeys(content)))
    .digest('hex');
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => [k, sortedKeys((value as Record<string, unknown>)[k])]),
  );
}

/** The coverage input as it will be once the upload commits: the new item counted, the one it supersedes replaced. */
function withUpload(input: CoverageInput, uploaded: EvidenceWithControls): CoverageInput {
  const evidence = input.evidence.map((e) =>
    e.id === uploaded.supersedesId ? { ...e, supersededById: uploaded.id, supersededAt: uploaded.uploadedAt } : e,
  );
  return { ...input, evidence: [...evidence, uploaded], at: uploaded.uploadedAt };
}
