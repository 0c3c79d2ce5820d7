import { Module } from '@nestjs/common';
import { OscalController } from './oscal.controller';
import { OscalRepository } from './oscal.repository';
import { OscalService } from './oscal.service';

@Module({
  controllers: [OscalController],
  providers: [OscalRepository, OscalService],
  exports: [OscalService],
})
export class OscalModule {}
