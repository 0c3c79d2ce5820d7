import { Module } from '@nestjs/common';
import { CatalogIndex } from './catalog-index';
import { CatalogController } from './catalog.controller';
import { CatalogRepository } from './catalog.repository';
import { CatalogService } from './catalog.service';
import { ExternalCrosswalkRepository } from './external-crosswalk.repository';
import { PolicyLoader } from './policy-loader.service';

@Module({
  controllers: [CatalogController],
  providers: [CatalogRepository, CatalogIndex, CatalogService, PolicyLoader, ExternalCrosswalkRepository],
  exports: [CatalogIndex, CatalogService, PolicyLoader],
})
export class CatalogModule {}
