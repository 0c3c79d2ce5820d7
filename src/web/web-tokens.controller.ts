import { Body, Controller, Get, Param, Post, Render, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor, Authenticated, CurrentActor } from '../common/auth.decorators';
import { TokenFormDto } from './dto/token-forms.dto';
import { CsrfOnlyFormDto } from './dto/web-forms.dto';
import { WebId } from './web-id';
import { sendOutcome } from './web-outcome';
import { WebTokensService } from './web-tokens.service';

/** API tokens for pipelines: list, create (shown once) and revoke. */
@ApiExcludeController()
@Controller('tokens')
export class WebTokensController {
  constructor(private readonly tokens: WebTokensService) {}

  @Get()
  @Authenticated({ permission: 'tokens:manage' })
  @Render('tokens')
  list(@CurrentActor() actor: Actor) {
    return this.tokens.page(actor);
  }

  @Post()
  @Authenticated({ permission: 'tokens:manage' })
  async create(@CurrentActor() actor: Actor, @Body() form: TokenFormDto, @Res() response: Response) {
    sendOutcome(response, await this.tokens.create(actor, form));
  }

  @Post(':id/revoke')
  @Authenticated({ permission: 'tokens:manage' })
  async revoke(
    @CurrentActor() actor: Actor,
    @Param('id', WebId) id: string,
    @Body() _form: CsrfOnlyFormDto,
    @Res() response: Response,
  ) {
    sendOutcome(response, await this.tokens.revoke(actor, id));
  }
}
