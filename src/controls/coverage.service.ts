import { Inject, Injectable } from '@nestjs/common';
import { ApplicabilityService } from '../ai-systems/applicability.service';
import { AiSystemEntity } from '../ai-systems/entities/ai-system.entity';
import { CatalogIndex } from '../catalog/catalog-index';
import { CLOCK, Clock, iso } from '../common/time';
import { EvidenceRepository } from '../evidence/evidence.repository';
import { ControlImplementationsRepository } from './control-implementations.repository';
import { computeCoverage, CoverageInput, FrameworkCoverage } from './coverage';
import { RequirementDecisionsRepository } from './requirement-decisions.repository';

/**
 * Coverage of one system: four indexed reads of that system's rows (implementations, evidence with its control and
 * requirement links, requirement decisions) plus the catalog from memory, whatever the size of the inventory.
 */
@Injectable()
export class CoverageService {
  constructor(
    private readonly index: CatalogIndex,
    private readonly applicability: ApplicabilityService,
    private readonly implementations: ControlImplementationsRepository,
    private readonly evidence: EvidenceRepository,
    private readonly decisions: RequirementDecisionsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async forSystem(system: AiSystemEntity, at: string = iso(this.clock.now())): Promise<FrameworkCoverage[]> {
    return computeCoverage({ ...(await this.inputsFor(system)), at });
  }

  /** Everything the coverage rule reads for one system, for callers that choose the instant from it (OSCAL). */
  async inputsFor(system: AiSystemEntity): Promise<Omit<CoverageInput, 'at'>> {
    const catalog = await this.index.get();
    const [applicability, implementations, evidence, decisions] = await Promise.all([
      this.applicability.evaluate(system, catalog),
      this.implementations.findBySystem(system.id),
      this.evidence.findBySystems([system.id]),
      this.decisions.findBySystem(system.id),
    ]);
    return {
      system,
      requirements: applicability.requirements,
      frameworks: applicability.frameworks,
      catalog,
      implementations,
      evidence,
      decisions,
    };
  }
}
