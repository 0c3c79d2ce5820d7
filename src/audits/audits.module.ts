import { Module } from '@nestjs/common';
import { AuditsController } from './audits.controller';
import { AuditsRepository } from './audits.repository';
import { AuditsService } from './audits.service';

@Module({
  controllers: [AuditsController],
  providers: [AuditsRepository, AuditsService],
  exports: [AuditsService],
})
export class AuditsModule {}
