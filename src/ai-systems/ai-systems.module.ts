import { Global, Module } from '@nestjs/common';
import { AiSystemsController } from './ai-systems.controller';
import { AiSystemsRepository } from './ai-systems.repository';
import { AiSystemsService } from './ai-systems.service';
import { ApplicabilityService } from './applicability.service';
import { ObligationsService } from './obligations.service';

@Global()
@Module({
  controllers: [AiSystemsController],
  providers: [AiSystemsRepository, AiSystemsService, ApplicabilityService, ObligationsService],
  exports: [AiSystemsRepository, AiSystemsService, ApplicabilityService, ObligationsService],
})
export class AiSystemsModule {}
