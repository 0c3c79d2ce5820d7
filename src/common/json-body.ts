import type { IncomingMessage, ServerResponse } from 'node:http';

/** Deeper than any of our DTOs by far; bounds the recursion of class-transformer and class-validator. */
export const MAX_JSON_DEPTH = 32;

// Keys that name prototype machinery: class-transformer drops them silently, so they never reach the whitelist check.
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

// C0 controls other than tab, CR and LF (and DEL): no text field takes them, and PostgreSQL cannot store NUL in text.
// eslint-disable-next-line no-control-regex -- finding control characters is what this pattern is for
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
// A "\ud800" escape without its pair: not a character; stores as U+FFFD or fails on PostgreSQL.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

class JsonBodyError extends Error {
  readonly status = 400;
  readonly expose = true;
}

/** Deepest nesting of objects/arrays in JSON text, counted on the raw bytes (strings skipped) before parsing. */
export function jsonDepth(body: Buffer): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (inString) {
      if (byte === 0x5c) i++;
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x7b || byte === 0x5b) deepest = Math.max(deepest, ++depth);
    else if (byte === 0x7d || byte === 0x5d) depth--;
  }
  return deepest;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * body-parser `verify`: refuses (400) JSON that is not valid UTF-8 (decoding would silently turn the bad bytes into
 * U+FFFD and store them) or nested deeper than MAX_JSON_DEPTH (the validation libraries recurse and would overflow
 * the stack, a 500).
 */
export function verifyJsonBody(
  _req: IncomingMessage,
  _res: ServerResponse,
  body: Buffer,
  encoding: string | null,
): void {
  if (!encoding || /^utf-?8$/i.test(encoding)) {
    try {
      utf8.decode(body);
    } catch {
      throw new JsonBodyError('The request body is not valid UTF-8');
    }
  }
  if (jsonDepth(body) > MAX_JSON_DEPTH)
    throw new JsonBodyError(`The request body is nested deeper than ${MAX_JSON_DEPTH} levels`);
}

/**
 * Why a string from a request body cannot be taken (control characters, a lone surrogate), or null. The one rule for
 * every body: JSON (the reviver below), url-encoded web forms (refuseBadFormFields) and multipart fields.
 */
export function textProblem(value: string, subject: string): string | null {
  if (CONTROL_CHARACTERS.test(value)) return `${subject} contains control characters`;
  if (LONE_SURROGATE.test(value)) return `${subject} contains an unpaired UTF-16 surrogate`;
  return null;
}

const fieldSubject = (key: string) => (key ? `The field "${key.slice(0, 64)}"` : 'The body');

/** The first problem among a parsed form's field names and values (strings or lists of strings), or null. */
export function formFieldsProblem(fields: Record<string, unknown>): string | null {
  for (const [key, value] of Object.entries(fields)) {
    if (FORBIDDEN_KEYS.has(key)) return `The field name "${key}" is not allowed`;
    const nameProblem = textProblem(key, 'A field name');
    if (nameProblem) return nameProblem;
    for (const item of Array.isArray(value) ? value : [value]) {
      const problem = typeof item === 'string' ? textProblem(item, fieldSubject(key)) : null;
      if (problem) return problem;
    }
  }
  return null;
}

/**
 * body-parser `verify` for url-encoded forms: every name and value must percent-decode to valid UTF-8, as JSON must
 * (the parser would otherwise turn bad bytes, a CESU-8 lone surrogate included, into U+FFFD silently).
 */
export function verifyFormBody(_req: IncomingMessage, _res: ServerResponse, body: Buffer): void {
  for (const part of body.toString('latin1').split(/[&=]/)) {
    try {
      decodeURIComponent(part.replace(/\+/g, ' '));
    } catch {
      throw new JsonBodyError('The form is not valid UTF-8');
    }
  }
}

/** JSON.parse reviver: refuses prototype-machinery keys, and control characters or lone surrogates in any string (400). */
export function jsonBodyReviver(key: string, value: unknown): unknown {
  if (FORBIDDEN_KEYS.has(key)) throw new JsonBodyError(`The field name "${key}" is not allowed`);
  const problem = typeof value === 'string' ? textProblem(value, fieldSubject(key)) : null;
  if (problem) throw new JsonBodyError(problem);
  return value;
}

/** Middleware after the url-encoded parser (which has no reviver): the JSON rule for web form fields (400). */
export function refuseBadFormFields(
  request: IncomingMessage & { body?: unknown },
  _res: ServerResponse,
  next: (error?: unknown) => void,
): void {
  const body = request.body;
  const problem =
    body && typeof body === 'object' && !Buffer.isBuffer(body)
      ? formFieldsProblem(body as Record<string, unknown>)
      : null;
  next(problem ? new JsonBodyError(problem) : undefined);
}
