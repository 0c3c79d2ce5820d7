import { Injectable, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ApplicabilityService } from '../ai-systems/applicability.service';
import { AiSystemEntity } from '../ai-systems/entities/ai-system.entity';
import { SystemImplementationsPort, SystemImplementationsSync } from '../ai-systems/system-implementations.port';
import { CatalogIndex } from '../catalog/catalog-index';
import { Tx } from '../database/transaction-runner';
import { SystemControlCodes, SystemControlsPort } from '../evidence/system-controls.port';
import { ControlImplementationsRepository } from './control-implementations.repository';
import { ControlImplementationEntity } from './entities/control-implementation.entity';

/**
 * The controls a system tracks (one implementation row per control), supplied to the ports of the modules below:
 * ai-systems creates them when a system is saved, evidence links only to them.
 */
@Injectable()
export class SystemImplementations implements SystemImplementationsSync, SystemControlCodes, OnModuleInit {
  constructor(
    private readonly implementations: ControlImplementationsRepository,
    private readonly applicability: ApplicabilityService,
    private readonly index: CatalogIndex,
    private readonly systemsPort: SystemImplementationsPort,
    private readonly evidencePort: SystemControlsPort,
  ) {}

  onModuleInit(): void {
    this.systemsPort.bind(this);
    this.evidencePort.bind(this);
  }

  /** Creates a not-started implementation for every control that maps to a requirement applicable to the system. */
  async syncImplementations(tx: Tx, system: AiSystemEntity, now: string): Promise<number> {
    const snapshot = await this.index.get();
    const result = await this.applicability.evaluate(system, snapshot);
    const needed = new Set<string>();
    for (const requirement of result.requirements) {
      if (!requirement.applies) continue;
      for (const mapping of snapshot.mappingsByRequirement.get(requirement.requirementId) ?? [])
        needed.add(mapping.controlCode);
    }
    const existing = new Set((await this.implementations.findBySystem(system.id, tx)).map((i) => i.controlCode));
    const rows = [...needed]
      .filter((code) => !existing.has(code))
      .sort()
      .map((controlCode) =>
        Object.assign(new ControlImplementationEntity(), {
          id: randomUUID(),
          systemId: system.id,
          controlCode,
          status: 'not_started',
          statement: '',
          justification: null,
          owner: '',
          lastReviewedAt: null,
          nextReviewDue: null,
          updatedAt: now,
        }),
      );
    await this.implementations.insertMany(tx, rows);
    return rows.length;
  }

  async controlCodesOf(systemId: string): Promise<Set<string>> {
    return new Set((await this.implementations.findBySystem(systemId)).map((i) => i.controlCode));
  }
}
