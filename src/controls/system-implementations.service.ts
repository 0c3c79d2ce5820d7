import { Injectable, OnModuleInit } from '@nestjs/common';
import { ApplicabilityService } from '../ai-systems/applicability.service';
import { AiSystemEntity } from '../ai-systems/entities/ai-system.entity';
import { SystemImplementationsPort, SystemImplementationsSync } from '../ai-systems/system-implementations.port';
import { CatalogIndex } from '../catalog/catalog-index';
import { timeOrderedId } from '../common/time-ordered-id';
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

  /** The controls a system tracks: those mapped to a requirement that applies to it, sorted (writes nothing). */
  async neededControls(system: AiSystemEntity): Promise<string[]> {
    const snapshot = await this.index.get();
    const result = await this.applicability.evaluate(system, snapshot);
    const needed = new Set<string>();
    for (const requirement of result.requirements) {
      if (!requirement.applies) continue;
      for (const mapping of snapshot.mappingsByRequirement.get(requirement.requirementId) ?? [])
        needed.add(mapping.controlCode);
    }
    return [...needed].sort();
  }

  /** Creates a not-started implementation for every control that maps to a requirement applicable to the system. */
  async syncImplementations(tx: Tx, system: AiSystemEntity, now: string): Promise<number> {
    const needed = await this.neededControls(system);
    const existing = new Set((await this.implementations.findBySystem(system.id, tx)).map((i) => i.controlCode));
    return this.insert(
      tx,
      system,
      now,
      needed.filter((code) => !existing.has(code)),
    );
  }

  /**
   * The implementations of a system created in this transaction, for the controls neededControls named: evaluated
   * before the write queue's turn, so the queue spends no time on it, and no read of implementations a new system
   * cannot have (issue 18.4).
   */
  createImplementations(tx: Tx, system: AiSystemEntity, now: string, needed: string[]): Promise<number> {
    return this.insert(tx, system, now, needed);
  }

  private async insert(tx: Tx, system: AiSystemEntity, now: string, controlCodes: string[]): Promise<number> {
    const rows = controlCodes.map((controlCode) =>
      Object.assign(new ControlImplementationEntity(), {
        id: timeOrderedId(),
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
