import type { ValidationError } from 'class-validator';

const number = (message: string) => /(\d+)/.exec(message)?.[1] ?? '';

/** class-validator's constraint names in words for people ("must be longer than or equal to 1 characters" reads badly). */
const WORDS: Readonly<Record<string, (message: string) => string>> = {
  isNotEmpty: () => 'fill this in',
  isString: () => 'fill this in',
  isDefined: () => 'fill this in',
  minLength: (m) => (number(m) === '1' ? 'fill this in' : `write at least ${number(m)} characters`),
  maxLength: (m) => `write at most ${number(m)} characters`,
  arrayMinSize: () => 'choose at least one',
  arrayNotEmpty: () => 'choose at least one',
  arrayMaxSize: (m) => `choose at most ${number(m)}`,
  isIn: () => 'choose one of the offered answers',
  isEnum: () => 'choose one of the offered answers',
  isIso8601: () => 'give a date (YYYY-MM-DD)',
  isDateString: () => 'give a date (YYYY-MM-DD)',
  isBoolean: () => 'tick the box or leave it empty',
};

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The messages of one field without its property name ("title must be a single line" → "must be a single line"). */
export function constraintWords(error: ValidationError): string[] {
  const own = Object.entries(error.constraints ?? {}).map(
    ([type, message]) =>
      WORDS[type]?.(message) ?? message.replace(new RegExp(`^${escape(error.property)}(\\[\\])?\\s+`), ''),
  );
  const nested = (error.children ?? []).flatMap((child) => constraintWords(child));
  return [...new Set([...own, ...nested])];
}

/** "Label: what to do", the label as the form shows it. */
export function fieldMessage(error: ValidationError, labels: Readonly<Record<string, string>>): string {
  return `${labels[error.property] ?? error.property}: ${constraintWords(error).join('; ')}`;
}
