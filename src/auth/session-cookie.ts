import type { Response } from 'express';
import { SESSION_COOKIE } from './auth.guard';

/**
 * The session cookie, written the same way by the API's login and the web sign-in form: HTTP-only, same-site strict,
 * for the whole site, ending with the session. `secure` when the config says so or the request came over HTTPS.
 */
export function setSessionCookie(response: Response, session: { token: string; expiresAt: string }, secure: boolean) {
  response.cookie(SESSION_COOKIE, session.token, {
    httpOnly: true,
    sameSite: 'strict',
    secure,
    path: '/',
    expires: new Date(session.expiresAt),
  });
}

export function clearSessionCookie(response: Response): void {
  response.clearCookie(SESSION_COOKIE, { path: '/' });
}
