import { Injectable } from '@nestjs/common';
import { BoundPort } from '../../common/bound-port';
import type { Tx } from '../../database/transaction-runner';
import type { EvidenceEntity } from '../entities/evidence.entity';
import type { Evaluation } from './structured-evidence';

export interface EvaluationTestsInput {
  /** The uploader (a user, or the creator of the API token that pushed it): recorded as the tester. */
  actor: { id: string; email: string };
  evidence: EvidenceEntity;
  controlCodes: string[];
  evaluation: Evaluation;
}

/** What evidence asks the controls module when an evaluation is uploaded: record its control tests. */
export interface EvaluationTestsRecorder {
  /** In the upload's transaction; returns the number of tests recorded. */
  recordEvaluationTests(tx: Tx, input: EvaluationTestsInput): Promise<number>;
}

/** Owned by evidence so that it need not import controls (whose coverage reads evidence); ControlsModule supplies it. */
@Injectable()
export class EvaluationTestsPort extends BoundPort<EvaluationTestsRecorder> implements EvaluationTestsRecorder {
  constructor() {
    super('evaluation tests', 'ControlsModule');
  }

  recordEvaluationTests(tx: Tx, input: EvaluationTestsInput): Promise<number> {
    return this.target.recordEvaluationTests(tx, input);
  }
}
