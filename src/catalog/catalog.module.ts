import { Global, Module } from '@nestjs/common';
import { CatalogController } from './catalog.controller';
import { CatalogRepository } from './catalog.repository';
import { CatalogService } from './catalog.service';
import { PolicyLoader } from './policy-loader.service';

@Global()
@Module({
  controllers: [CatalogController],
  providers: [CatalogRepository, CatalogService, PolicyLoader],
  exports: [CatalogRepository, CatalogService, PolicyLoader],
})
export class CatalogModule {}
