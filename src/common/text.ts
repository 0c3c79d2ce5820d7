/**
 * The text of a value read from YAML or a database row, for names and messages: strings as they are, numbers and
 * booleans as written, nothing for null or undefined, and JSON for anything else (an object in a message reads as
 * its content, not as "[object Object]").
 */
export function textOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value) ?? '';
}
