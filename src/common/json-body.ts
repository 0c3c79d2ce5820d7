import type { IncomingMessage, ServerResponse } from 'node:http';

/** Deeper than any of our DTOs by far; bounds the recursion of class-transformer and class-validator. */
export const MAX_JSON_DEPTH = 32;

// Keys that name prototype machinery: class-transformer drops them silently, so they never reach the whitelist check.
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** True for a field name that would address prototype machinery (JSON keys, multipart field names). */
export function isForbiddenFieldName(name: string): boolean {
  return FORBIDDEN_KEYS.has(name);
}
// C0 controls other than tab, CR and LF (and DEL): no text field takes them, and PostgreSQL cannot store NUL in text.
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
export function verifyJsonBody(_req: IncomingMessage, _res: ServerResponse, body: Buffer, encoding: string | null): void {
  if (!encoding || /^utf-?8$/i.test(encoding)) {
    try {
      utf8.decode(body);
    } catch {
      throw new JsonBodyError('The request body is not valid UTF-8');
    }
  }
  if (jsonDepth(body) > MAX_JSON_DEPTH) throw new JsonBodyError(`The request body is nested deeper than ${MAX_JSON_DEPTH} levels`);
}

/** JSON.parse reviver: refuses prototype-machinery keys, and control characters or lone surrogates in any string (400). */
export function jsonBodyReviver(key: string, value: unknown): unknown {
  if (FORBIDDEN_KEYS.has(key)) throw new JsonBodyError(`The field name "${key}" is not allowed`);
  if (typeof value === 'string' && CONTROL_CHARACTERS.test(value)) {
    throw new JsonBodyError(`${key ? `The field "${key.slice(0, 64)}"` : 'The body'} contains control characters`);
  }
  if (typeof value === 'string' && LONE_SURROGATE.test(value)) {
    throw new JsonBodyError(`${key ? `The field "${key.slice(0, 64)}"` : 'The body'} contains an unpaired UTF-16 surrogate`);
  }
  return value;
}
