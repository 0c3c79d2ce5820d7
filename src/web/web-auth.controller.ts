import { Body, Controller, Get, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { isCrossSiteSignIn } from '../auth/request-origin';
import { Actor, Authenticated, CurrentActor, Public } from '../common/auth.decorators';
import { LoginFormDto, LogoutFormDto } from './dto/web-forms.dto';
import { sendOutcome } from './web-outcome';
import { WebSessionService } from './web-session.service';

@ApiExcludeController()
@Controller()
export class WebAuthController {
  constructor(private readonly session: WebSessionService) {}

  @Get('login')
  @Public()
  @Render('login')
  loginForm(@Query('next') next?: string) {
    return this.session.loginPage(next);
  }

  @Post('login')
  @Public()
  async login(@Body() form: LoginFormDto, @Req() request: Request, @Res() response: Response) {
    sendOutcome(
      response,
      await this.session.login(
        form,
        { clientAddress: request.ip ?? 'unknown', secure: request.secure, crossSite: isCrossSiteSignIn(request) },
        response,
      ),
    );
  }

  @Post('logout')
  @Authenticated({ permission: 'account:self' })
  async logout(@CurrentActor() actor: Actor, @Body() _form: LogoutFormDto, @Res() response: Response) {
    sendOutcome(response, await this.session.logout(actor, response));
  }
}
