import { Inject, Injectable } from '@nestjs/common';
import { readFile } from 'node:fs/promises';
import type { CatalogSnapshot } from '../../catalog/catalog-index';
import { invalid } from '../../common/domain-errors';
import type { Tx } from '../../database/transaction-runner';
import type { UploadEvidenceDto } from '../dto/evidence.dto';
import type { EvidenceEntity, RedTeamOutcome } from '../entities/evidence.entity';
import type { StagedFile } from '../evidence-storage';
import { redTeamFields } from '../red-team';
import { EVIDENCE_KIND_POLICY, EvidenceKindPolicy } from './evidence-kind-policy';
import { EvaluationTestsPort } from './evaluation-tests.port';
import { assertFormAgrees, defaultValidity, Evaluation, readStructuredContent } from './structured-evidence';

/** One upload's transaction writes a test, a metric row and an audit entry per metric and control: kept bounded. */
const MAX_AUTOMATED_TESTS = 500;

export interface PreparedEvidence {
  redTeam: { atlasTechniqueIds: string[] | null; redTeamOutcome: RedTeamOutcome | null };
  /** The uploader's valid-until, or the policy default (with its basis) when they gave none. */
  validUntil: string | null;
  validUntilBasis: string | null;
  evaluation: Evaluation | null;
}

/**
 * What the kind of an upload demands of it (policies/evidence-kinds/): the file held to the kind's schema, the
 * red-team fields, a default valid-until; and, once the row is in, the control tests an evaluation records.
 */
@Injectable()
export class StructuredEvidenceService {
  constructor(
    @Inject(EVIDENCE_KIND_POLICY) private readonly policy: EvidenceKindPolicy,
    private readonly tests: EvaluationTestsPort,
  ) {}

  get expiryNoticeDays(): number {
    return this.policy.expiryNoticeDays;
  }

  /** Before anything is stored: throws a 400 naming the field (and the JSON path) when the file or fields are wrong. */
  async prepare(input: {
    dto: Pick<UploadEvidenceDto, 'kind' | 'atlasTechniqueIds' | 'redTeamOutcome'>;
    staged: StagedFile;
    mediaType: string;
    controlCodes: string[];
    collectedAt: string;
    validUntil: string | null;
    catalog: CatalogSnapshot;
  }): Promise<PreparedEvidence> {
    const { dto, catalog } = input;
    const text = input.mediaType === 'application/json' ? await readFile(input.staged.tempPath, 'utf8') : null;
    const content = await readStructuredContent(dto.kind, text, this.policy, catalog);
    if (content.redTeam) assertFormAgrees(dto, content.redTeam);
    const tests = (content.evaluation?.metrics.length ?? 0) * input.controlCodes.length;
    if (tests > MAX_AUTOMATED_TESTS)
      throw invalid(
        `An evaluation records a control test per metric and control: ${tests} is more than ${MAX_AUTOMATED_TESTS}; link fewer controls or split the file`,
        { field: 'controlCodes' },
      );
    const redTeam = content.redTeam ?? redTeamFields(dto, catalog);
    const controls = input.controlCodes.flatMap((code) => {
      const control = catalog.controlByCode.get(code);
      return control ? [control] : [];
    });
    const validity = input.validUntil ? null : defaultValidity(dto.kind, controls, input.collectedAt, this.policy);
    return {
      redTeam,
      validUntil: input.validUntil ?? validity?.validUntil ?? null,
      validUntilBasis: validity?.basis ?? null,
      evaluation: content.evaluation,
    };
  }

  /** In the upload's transaction, after the evidence row: an evaluation records a control test per threshold. */
  async record(
    tx: Tx,
    actor: { id: string; email: string },
    evidence: EvidenceEntity,
    controlCodes: string[],
    prepared: PreparedEvidence,
  ): Promise<void> {
    if (prepared.evaluation)
      await this.tests.recordEvaluationTests(tx, { actor, evidence, controlCodes, evaluation: prepared.evaluation });
  }
}
