import { Inject, Injectable } from '@nestjs/common';
import { ApplicabilityService } from '../ai-systems/applicability.service';
import { AiSystemEntity } from '../ai-systems/entities/ai-system.entity';
import { CatalogIndex } from '../catalog/catalog-index';
import { CLOCK, Clock, iso } from '../common/time';
import { EvidenceRepository } from '../evidence/evidence.repository';
import { ControlImplementationsRepository } from './control-implementations.repository';
import { computeCoverage, FrameworkCoverage } from './coverage';

/**
 * Coverage of one system: three indexed reads (implementations, evidence, evidence-control links) plus the catalog
 * from memory, whatever the number of systems in the inventory.
 */
@Injectable()
export class CoverageService {
  constructor(
    private readonly index: CatalogIndex,
    private readonly applicability: ApplicabilityService,
    private readonly implementations: ControlImplementationsRepository,
    private readonly evidence: EvidenceRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async forSystem(system: AiSystemEntity, at: string = iso(this.clock.now())): Promise<FrameworkCoverage[]> {
    const catalog = await this.index.get();
    const [applicability, implementations, evidence] = await Promise.all([
      this.applicability.evaluate(system, catalog),
      this.implementations.findBySystem(system.id),
      this.evidence.findBySystems([system.id]),
    ]);
    return computeCoverage({
      system,
      requirements: applicability.requirements,
      frameworks: applicability.frameworks,
      catalog,
      implementations,
      evidence,
      at,
    });
  }
}
