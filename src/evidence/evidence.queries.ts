import { Injectable } from '@nestjs/common';
import { Tx } from '../database/transaction-runner';
import { EvidenceEntity } from './entities/evidence.entity';
import { EvidenceRepository, EvidenceWithControls } from './evidence.repository';

/**
 * The reads of evidence that other modules make (controls, tasks, incidents, threat models), so that they depend on
 * this module's service and never on its repository. Unscoped: the caller has checked the actor's access.
 */
@Injectable()
export class EvidenceQueries {
  constructor(private readonly evidence: EvidenceRepository) {}

  findById(id: string, tx?: Tx): Promise<EvidenceEntity | null> {
    return this.evidence.findById(id, tx);
  }

  findControlCodes(evidenceId: string): Promise<string[]> {
    return this.evidence.findControlCodes(evidenceId);
  }

  /** These evidence items with their control codes, read in the caller's transaction. */
  findWithControlCodes(ids: string[], tx: Tx): Promise<{ evidence: EvidenceEntity; controlCodes: string[] }[]> {
    return this.evidence.findWithControlCodes(ids, tx);
  }

  /** Every evidence item of the given systems with its control codes and named requirements. */
  findBySystems(systemIds: string[]): Promise<EvidenceWithControls[]> {
    return this.evidence.findBySystems(systemIds);
  }
}
