import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary as commonDictionary } from '@zxcvbn-ts/language-common';
import { dictionary as englishDictionary, translations } from '@zxcvbn-ts/language-en';
import { invalid } from '../common/domain-errors';

export const MIN_PASSWORD_LENGTH = 12;

// zxcvbn score 3 and up: at least ~10^8 guesses (score 2 and below are lists, patterns, names and short words).
const MIN_SCORE = 3;
// Only the first characters are judged (the matcher's cost grows fast with length: ~100 ms worst case at 64).
const JUDGED_LENGTH = 64;

let estimator: ZxcvbnFactory | undefined;

/** Built on first use: the dictionaries take ~40 MB and ~250 ms, which a process that never sets a password skips. */
function zxcvbn(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...commonDictionary, ...englishDictionary },
    graphs: adjacencyGraphs,
    translations,
    maxLength: JUDGED_LENGTH,
    l33tMaxSubstitutions: 15,
  });
  return estimator;
}

/**
 * Why a new password is refused, or null. Passwords on the breached and common lists zxcvbn-ts ships (and their
 * l33t, reversed and capitalised forms), repeats, sequences, keyboard walks, dates, dictionary words and names, and
 * words from the user's own e-mail or name (`context`) score low and are refused; no composition rules (ASVS 6.2).
 */
export function passwordWeakness(password: string, context: string[] = []): string | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return `it must be at least ${MIN_PASSWORD_LENGTH} characters long`;
  const words = context.flatMap((text) => [text, ...text.split(/[^\p{L}\p{N}]+/u)]).filter((word) => word.length >= 3);
  const result = zxcvbn().check(password, words);
  if (result.score >= MIN_SCORE) return null;
  const { warning, suggestions } = result.feedback;
  return [warning ?? 'it is on lists of common passwords or follows an easy pattern.', ...suggestions].join(' ');
}

/** Refuses (400) a password that is too easy to guess, before anything is hashed or stored. */
export function assertStrongPassword(password: string, context: string[] = []): void {
  const weakness = passwordWeakness(password, context);
  if (weakness) throw invalid(`This password is too easy to guess: ${weakness}`, { field: 'password' });
}
