import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../common/auth.decorators';
import { WebAssets } from './web-assets';

@ApiExcludeController()
@Controller('assets')
export class WebAssetsController {
  constructor(private readonly assets: WebAssets) {}

  @Get(':name')
  @Public()
  asset(@Param('name') name: string, @Res() response: Response) {
    const file = this.assets.get(name);
    response.type(file.type).setHeader('Cache-Control', 'public, max-age=300');
    response.send(file.body);
  }
}
