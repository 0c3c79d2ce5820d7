import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../common/auth.decorators';
import { CatalogService } from './catalog.service';
import { ControlsQueryDto, CrosswalkQueryDto, RequirementsQueryDto } from './dto/catalog.dto';

@ApiTags('catalog')
@Controller('api/v1')
export class CatalogController {
  constructor(private readonly catalog: CatalogService) {}

  @Get('frameworks')
  @Authenticated({ permission: 'catalog:read' })
  frameworks() {
    return this.catalog.frameworks();
  }

  @Get('frameworks/:key/requirements')
  @Authenticated({ permission: 'catalog:read' })
  requirements(@Param('key') key: string, @Query() query: RequirementsQueryDto) {
    return this.catalog.requirementsTree(key, query.flat ?? false);
  }

  @Get('controls')
  @Authenticated({ permission: 'catalog:read' })
  controls(@Query() query: ControlsQueryDto) {
    return this.catalog.controls(query);
  }

  @Get('controls/:code')
  @Authenticated({ permission: 'catalog:read' })
  control(@Param('code') code: string) {
    return this.catalog.control(code);
  }

  @Get('crosswalk')
  @Authenticated({ permission: 'catalog:read' })
  crosswalk(@Query() query: CrosswalkQueryDto) {
    return this.catalog.crosswalk(query.from, query.to);
  }
}
