import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { Actor, Authenticated, CurrentActor, Public } from '../common/auth.decorators';
import { forbidden } from '../common/domain-errors';
import { AuthService } from './auth.service';
import { CROSS_SITE_SIGN_IN, isCrossSiteSignIn } from './request-origin';
import { clearSessionCookie, setSessionCookie } from './session-cookie';
import { UserResponseDto } from '../users/dto/user-response.dto';
import { LoginResponseDto } from './dto/auth-response.dto';
import { ChangePasswordDto, LoginDto } from './dto/auth.dto';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('login')
  @HttpCode(200)
  @Public()
  @ApiOkResponse({ type: LoginResponseDto, description: 'also sets the wb_session cookie' })
  async login(
    @Body() dto: LoginDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<LoginResponseDto> {
    if (isCrossSiteSignIn(request)) throw forbidden(CROSS_SITE_SIGN_IN);
    const result = await this.auth.login(dto.email, dto.password, request.ip ?? 'unknown');
    setSessionCookie(response, result, this.config.cookieSecure || request.secure);
    return result;
  }

  @Post('logout')
  @HttpCode(204)
  @Authenticated({ permission: 'account:self' })
  @ApiNoContentResponse({ description: 'the session is ended and its cookie cleared' })
  async logout(@CurrentActor() actor: Actor, @Res({ passthrough: true }) response: Response): Promise<void> {
    await this.auth.logout(actor);
    clearSessionCookie(response);
  }

  @Get('me')
  @Authenticated({ permission: 'account:self' })
  @ApiOkResponse({ type: UserResponseDto })
  me(@CurrentActor() actor: Actor): Promise<UserResponseDto> {
    return this.auth.me(actor);
  }

  @Post('password')
  @HttpCode(204)
  @Authenticated({ permission: 'account:self' })
  @ApiNoContentResponse({ description: 'the password is changed; other sessions of the user are ended' })
  async changePassword(@CurrentActor() actor: Actor, @Body() dto: ChangePasswordDto) {
    await this.auth.changePassword(actor, dto.currentPassword, dto.newPassword);
  }
}
