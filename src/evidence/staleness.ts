import type { AiSystemEntity } from '../ai-systems/entities/ai-system.entity';
import type { EvidenceEntity } from './entities/evidence.entity';

export interface EvidenceState {
  /** Existed at the instant asked about. */
  existed: boolean;
  reviewStatus: string;
  stale: boolean;
  staleReason: string | null;
  /** Accepted, not superseded and not stale: counts towards coverage. */
  current: boolean;
}

/**
 * Evidence is stale once past valid-until, or when the system's model version changed after it was collected (or
 * it was produced against another model version). Evaluated at any instant, so a pack can be regenerated as of then.
 */
export function evidenceState(
  evidence: EvidenceEntity,
  system: Pick<AiSystemEntity, 'modelVersion' | 'modelVersionChangedAt'>,
  at: string,
  supersededAt: string | null = null,
): EvidenceState {
  const existed = evidence.uploadedAt <= at;
  const reviewStatus = evidence.reviewedAt && evidence.reviewedAt <= at ? evidence.reviewStatus : 'submitted';
  let staleReason: string | null = null;
  if (evidence.validUntil && evidence.validUntil <= at) staleReason = `expired on ${evidence.validUntil.slice(0, 10)}`;
  else if (
    system.modelVersionChangedAt &&
    system.modelVersionChangedAt <= at &&
    system.modelVersionChangedAt > evidence.collectedAt
  ) {
    staleReason = `model version changed to ${system.modelVersion} after it was collected`;
  } else if (evidence.modelVersion && system.modelVersion && evidence.modelVersion !== system.modelVersion) {
    staleReason = `produced against model version ${evidence.modelVersion}, system now runs ${system.modelVersion}`;
  } else if (supersededAt && supersededAt <= at) staleReason = 'superseded by a newer upload';
  const stale = staleReason !== null;
  return { existed, reviewStatus, stale, staleReason, current: existed && !stale && reviewStatus === 'accepted' };
}
