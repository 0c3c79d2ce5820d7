import { Module } from '@nestjs/common';
import { AccessScopeModule } from '../access-scope/access-scope.module';
import { CatalogModule } from '../catalog/catalog.module';
import { AiSystemsController } from './ai-systems.controller';
import { AiSystemsQueries } from './ai-systems.queries';
import { AiSystemsRepository } from './ai-systems.repository';
import { AiSystemsService } from './ai-systems.service';
import { ApplicabilityService } from './applicability.service';
import { SystemImplementationsPort } from './system-implementations.port';

@Module({
  imports: [CatalogModule, AccessScopeModule],
  controllers: [AiSystemsController],
  providers: [AiSystemsRepository, AiSystemsQueries, AiSystemsService, ApplicabilityService, SystemImplementationsPort],
  exports: [AiSystemsQueries, AiSystemsService, ApplicabilityService, SystemImplementationsPort],
})
export class AiSystemsModule {}
