import type { Request } from 'express';

export const CROSS_SITE_SIGN_IN =
  'This sign-in did not come from this site (Origin/Referer check failed); open the sign-in page here and try again';

/**
 * Login CSRF: a page on another site can post a sign-in form that signs the victim in as the attacker. Browsers send
 * Origin on every cross-origin POST ("null" from sandboxed or no-referrer pages), and Referer where Origin is missing,
 * so a sign-in whose Origin, else Referer, names another host is refused. A request with neither is not a
 * browser-driven form (curl, scripts) and passes. Hosts are compared with their port, schemes are not: a TLS proxy
 * may forward https as http. The host is the one Express reports (X-Forwarded-Host only from a trusted proxy).
 */
export function isCrossSiteSignIn(request: Pick<Request, 'header' | 'host'>): boolean {
  const source = request.header('origin') ?? request.header('referer');
  if (source === undefined) return false;
  const host = request.host?.toLowerCase();
  try {
    return !host || new URL(source).host !== host;
  } catch {
    return true;
  }
}
