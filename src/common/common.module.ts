import { Global, Module } from '@nestjs/common';
import { CLOCK, systemClock } from './time';

@Global()
@Module({
  providers: [{ provide: CLOCK, useValue: systemClock }],
  exports: [CLOCK],
})
export class CommonModule {}
