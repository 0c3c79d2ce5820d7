import { Global, Module } from '@nestjs/common';
import { ThreatModelService } from './threat-model.service';
import { ThreatsController } from './threats.controller';

/** Global like the inventory, controls and evidence modules whose data it reads: the task sweep and the web UI use it. */
@Global()
@Module({
  controllers: [ThreatsController],
  providers: [ThreatModelService],
  exports: [ThreatModelService],
})
export class ThreatsModule {}
