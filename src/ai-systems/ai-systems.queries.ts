import { Injectable } from '@nestjs/common';
import { Tx } from '../database/transaction-runner';
import { AiSystemsRepository } from './ai-systems.repository';
import { AiSystemEntity } from './entities/ai-system.entity';

/**
 * The reads of systems that other modules make, so that they depend on this module's service and never on its
 * repository. Unscoped: the caller has checked the actor's access (AccessScope) or runs as the system itself.
 */
@Injectable()
export class AiSystemsQueries {
  constructor(private readonly systems: AiSystemsRepository) {}

  findById(id: string, tx?: Tx): Promise<AiSystemEntity | null> {
    return this.systems.findById(id, tx);
  }

  findByIds(ids: string[]): Promise<AiSystemEntity[]> {
    return this.systems.findByIds(ids);
  }

  findAllActive(): Promise<AiSystemEntity[]> {
    return this.systems.findAllActive();
  }
}
