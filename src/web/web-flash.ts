import type { NextFunction, Request, Response } from 'express';

/** A one-time message for the page a form post redirects to (post/redirect/get): "Saved: …" or why it was refused. */
export interface Flash {
  kind: 'ok' | 'error';
  text: string;
}

const FLASH_COOKIE = 'wb_flash';
const MAX_TEXT = 600;

/** Keeps the message for the next page the browser opens (one minute at most); the redirect follows at once. */
export function setFlash(response: Response, flash: Flash): void {
  response.cookie(FLASH_COOKIE, JSON.stringify({ kind: flash.kind, text: flash.text.slice(0, MAX_TEXT) }), {
    httpOnly: true,
    sameSite: 'lax',
    secure: response.req.secure,
    path: '/',
    maxAge: 60_000,
  });
}

function readFlash(raw: unknown): Flash | null {
  if (typeof raw !== 'string') return null;
  try {
    const value = JSON.parse(raw) as Partial<Flash>;
    if ((value.kind === 'ok' || value.kind === 'error') && typeof value.text === 'string')
      return { kind: value.kind, text: value.text.slice(0, MAX_TEXT) };
  } catch {
    // A cookie we did not write: ignored.
  }
  return null;
}

/**
 * What the layout needs from the request on every page: the path (the menu marks the current page) and the flash
 * message, which the first page that is rendered after it takes and clears (never an API call or an asset).
 */
export function webPageLocals(request: Request, response: Response, next: NextFunction): void {
  // originalUrl, not path: a middleware mounted on a wildcard route sees path relative to its mount point ('/').
  const path = request.originalUrl.split('?')[0];
  response.locals.currentPath = path;
  const raw = (request.cookies as Record<string, unknown> | undefined)?.[FLASH_COOKIE];
  if (raw !== undefined && request.method === 'GET' && !/^\/(api|assets)\//i.test(path)) {
    response.locals.flash = readFlash(raw);
    response.clearCookie(FLASH_COOKIE, { path: '/' });
  }
  next();
}
