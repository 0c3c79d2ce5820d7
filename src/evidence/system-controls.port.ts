import { Injectable } from '@nestjs/common';
import { BoundPort } from '../common/bound-port';

/** What evidence asks the controls module: the control codes a system tracks (those evidence may be linked to). */
export interface SystemControlCodes {
  controlCodesOf(systemId: string): Promise<Set<string>>;
}

/** Owned by evidence so that it need not import controls (whose coverage reads evidence); ControlsModule supplies it. */
@Injectable()
export class SystemControlsPort extends BoundPort<SystemControlCodes> implements SystemControlCodes {
  constructor() {
    super('system controls', 'ControlsModule');
  }

  controlCodesOf(systemId: string): Promise<Set<string>> {
    return this.target.controlCodesOf(systemId);
  }
}
