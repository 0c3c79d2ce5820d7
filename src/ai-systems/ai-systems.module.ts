import { Global, Module } from '@nestjs/common';
import { AiSystemsController } from './ai-systems.controller';
import { AiSystemsRepository } from './ai-systems.repository';
import { AiSystemsService } from './ai-systems.service';
import { ApplicabilityService } from './applicability.service';

@Global()
@Module({
  controllers: [AiSystemsController],
  providers: [AiSystemsRepository, AiSystemsService, ApplicabilityService],
  exports: [AiSystemsRepository, AiSystemsService, ApplicabilityService],
})
export class AiSystemsModule {}
