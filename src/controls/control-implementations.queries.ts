import { Injectable } from '@nestjs/common';
import { Tx } from '../database/transaction-runner';
import { ControlImplementationsRepository } from './control-implementations.repository';
import { ControlImplementationEntity } from './entities/control-implementation.entity';
import { ControlStatusChangeEntity } from './entities/control-status-change.entity';

/**
 * The reads of control implementations that other modules make (tasks, packs, OSCAL, threat models), so that they
 * depend on this module's service and never on its repository. Changes go through ControlsService.
 */
@Injectable()
export class ControlImplementationsQueries {
  constructor(private readonly implementations: ControlImplementationsRepository) {}

  findOne(systemId: string, controlCode: string, tx?: Tx): Promise<ControlImplementationEntity | null> {
    return this.implementations.findOne(systemId, controlCode, tx);
  }

  findBySystem(systemId: string, tx?: Tx): Promise<ControlImplementationEntity[]> {
    return this.implementations.findBySystem(systemId, tx);
  }

  /** See ControlImplementationsRepository.findBySystemsAsOf. */
  findBySystemsAsOf(systemIds: string[], at: string): Promise<ControlImplementationEntity[]> {
    return this.implementations.findBySystemsAsOf(systemIds, at);
  }

  findStatusChanges(systemIds: string[], at?: string): Promise<ControlStatusChangeEntity[]> {
    return this.implementations.findStatusChanges(systemIds, at);
  }
}
