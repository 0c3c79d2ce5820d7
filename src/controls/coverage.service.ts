import { Inject, Injectable } from '@nestjs/common';
import { ApplicabilityService } from '../ai-systems/applicability.service';
import { AiSystemEntity } from '../ai-systems/entities/ai-system.entity';
import { CatalogIndex } from '../catalog/catalog-index';
import { CLOCK, Clock, iso } from '../common/time';
import { EvidenceQueries } from '../evidence/evidence.queries';
import { ControlImplementationsRepository } from './control-implementations.repository';
import { computeCoverage, CoverageInput, FrameworkCoverage } from './coverage';
import { RequirementDecisionsRepository } from './requirement-decisions.repository';

/**
 * Coverage of systems at an instant. Every caller (coverage, the task sweep, packs, OSCAL) loads its inputs through
 * inputsAsOf, so all of them read control status from the history as it stood then and evidence as it stood then
 * (evidenceState at that instant): a few indexed reads for all the systems together, plus the catalog from memory.
 */
@Injectable()
export class CoverageService {
  constructor(
    private readonly index: CatalogIndex,
    private readonly applicability: ApplicabilityService,
    private readonly implementations: ControlImplementationsRepository,
    private readonly evidence: EvidenceQueries,
    private readonly decisions: RequirementDecisionsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async forSystem(system: AiSystemEntity, at: string = iso(this.clock.now())): Promise<FrameworkCoverage[]> {
    return computeCoverage(await this.inputsFor(system, at));
  }

  /** The coverage of each system at `at`, by system id. */
  async forSystems(systems: AiSystemEntity[], at: string): Promise<Map<string, FrameworkCoverage[]>> {
    const inputs = await this.inputsAsOf(systems, at);
    return new Map([...inputs].map(([id, input]) => [id, computeCoverage(input)]));
  }

  /** Everything the coverage rule reads for one system at `at` (now when omitted). */
  async inputsFor(system: AiSystemEntity, at: string = iso(this.clock.now())): Promise<CoverageInput> {
    return (await this.inputsAsOf([system], at)).get(system.id)!;
  }

  /**
   * Everything the coverage rule reads for each system at `at`, by system id: implementations with their status and
   * justification as of `at` (from the status history; those created later are absent), every evidence item (the rule
   * judges each at `at`: not yet uploaded, not yet reviewed, expired or superseded by then), the requirement decisions
   * and the applicability of the system's current facts.
   */
  async inputsAsOf(systems: AiSystemEntity[], at: string): Promise<Map<string, CoverageInput>> {
    const ids = systems.map((s) => s.id);
    const catalog = await this.index.get();
    const [applicability, implementations, evidence, decisions] = await Promise.all([
      Promise.all(systems.map((s) => this.applicability.evaluate(s, catalog))),
      this.implementations.findBySystemsAsOf(ids, at),
      this.evidence.findBySystems(ids),
      this.decisions.findBySystems(ids),
    ]);
    const inputs = new Map<string, CoverageInput>();
    systems.forEach((system, n) =>
      inputs.set(system.id, {
        system,
        requirements: applicability[n].requirements,
        frameworks: applicability[n].frameworks,
        catalog,
        implementations: [],
        evidence: [],
        decisions: [],
        at,
      }),
    );
    for (const i of implementations) inputs.get(i.systemId)?.implementations.push(i);
    for (const e of evidence) inputs.get(e.systemId)?.evidence.push(e);
    for (const d of decisions) inputs.get(d.systemId)?.decisions.push(d);
    return inputs;
  }
}
