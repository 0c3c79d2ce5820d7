import { Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { AuthService } from '../auth/auth.service';
import { CROSS_SITE_SIGN_IN } from '../auth/request-origin';
import { clearSessionCookie, setSessionCookie } from '../auth/session-cookie';
import { Actor } from '../common/auth.decorators';
import { DomainError } from '../common/domain-errors';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { LoginFormDto } from './dto/web-forms.dto';
import { WebOutcome } from './web-outcome';

/** Only a path on this site, never the API or another host ("//evil.example" is protocol-relative). */
export function safeNext(next: string | undefined): string {
  return next && /^\/(?!\/|\\|api\/)[^\s]*$/.test(next) ? next : '/';
}

/** A form's "back" path when safeNext accepts it as it is, else the fallback page. */
export function safeBack(back: string | undefined, fallback: string): string {
  return back && safeNext(back) === back ? back : fallback;
}

/** Signs in and out through the login form, with the same session cookie the API's AuthController sets. */
@Injectable()
export class WebSessionService {
  constructor(
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  loginPage(next: string | undefined, error: string | null = null, email = '') {
    return { title: 'Sign in', next: safeNext(next), error, email, layout: 'layout' };
  }

  async login(
    form: LoginFormDto,
    client: { clientAddress: string; secure: boolean; crossSite: boolean },
    response: Response,
  ): Promise<WebOutcome> {
    // A form posted from another site would sign this browser in as someone else (login CSRF).
    if (client.crossSite) return { view: 'login', status: 403, model: this.loginPage(form.next, CROSS_SITE_SIGN_IN) };
    try {
      const result = await this.auth.login(form.email.trim(), form.password, client.clientAddress);
      setSessionCookie(response, result, this.config.cookieSecure || client.secure);
      // A one-time password is changed before anything else (the guard refuses every other page until then).
      return { redirect: result.user.mustChangePassword ? '/account/password' : safeNext(form.next) };
    } catch (error) {
      if (!(error instanceof DomainError) || (error.kind !== 'unauthenticated' && error.kind !== 'throttled'))
        throw error;
      const message =
        error.kind === 'throttled'
          ? 'Too many attempts. Wait a few minutes, then try again.'
          : 'That e-mail and password do not match an account. Check both and try again.';
      return { view: 'login', status: 401, model: this.loginPage(form.next, message, form.email) };
    }
  }

  async logout(actor: Actor, response: Response): Promise<WebOutcome> {
    await this.auth.logout(actor);
    clearSessionCookie(response);
    return { redirect: '/login' };
  }
}
