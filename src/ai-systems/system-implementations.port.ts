import { Injectable } from '@nestjs/common';
import { BoundPort } from '../common/bound-port';
import type { Tx } from '../database/transaction-runner';
import type { AiSystemEntity } from './entities/ai-system.entity';

/** What the controls module does, inside the transaction that creates or updates a system. */
export interface SystemImplementationsSync {
  /** Creates a not-started implementation for each control that now applies; returns how many were created. */
  syncImplementations(tx: Tx, system: AiSystemEntity, now: string): Promise<number>;
  /** The control codes the system's applicable requirements map to; writes nothing, needs no transaction. */
  neededControls(system: AiSystemEntity): Promise<string[]>;
  /** A new system's implementations for the codes neededControls gave, in the transaction that creates it. */
  createImplementations(tx: Tx, system: AiSystemEntity, now: string, needed: string[]): Promise<number>;
}

/** Owned by ai-systems so that it need not import controls (which reads systems); ControlsModule supplies it. */
@Injectable()
export class SystemImplementationsPort
  extends BoundPort<SystemImplementationsSync>
  implements SystemImplementationsSync
{
  constructor() {
    super('system implementations', 'ControlsModule');
  }

  syncImplementations(tx: Tx, system: AiSystemEntity, now: string): Promise<number> {
    return this.target.syncImplementations(tx, system, now);
  }

  neededControls(system: AiSystemEntity): Promise<string[]> {
    return this.target.neededControls(system);
  }

  createImplementations(tx: Tx, system: AiSystemEntity, now: string, needed: string[]): Promise<number> {
    return this.target.createImplementations(tx, system, now, needed);
  }
}
