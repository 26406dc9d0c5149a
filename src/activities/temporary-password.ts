import crypto from 'node:crypto';
import { startsLikeFormula } from '../bulk/spreadsheet-safe';

const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const DIGITS = '23456789';
const SYMBOLS = '!#$%*+-=?@^_';
const ALL = UPPER + LOWER + DIGITS + SYMBOLS;
export const TEMPORARY_PASSWORD_LENGTH = 16;

/**
 * R13: a temporary password from a cryptographic source, with at least one upper-case letter, lower-case
 * letter, digit and symbol; look-alike characters (O/0, l/1/I) are left out as it is read out or typed.
 * It never starts with a character a spreadsheet takes for a formula (= + - @), as a bulk upload's results
 * file carries it in a cell that must be shown exactly as it is (Security 2).
 */
export function generateTemporaryPassword(length = TEMPORARY_PASSWORD_LENGTH): string {
  const chars = [UPPER, LOWER, DIGITS, SYMBOLS].map(pick);
  while (chars.length < length) chars.push(pick(ALL));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = crypto.randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  if (startsLikeFormula(chars[0]!)) {
    const plain = chars.findIndex((c) => !SYMBOLS.includes(c));
    [chars[0], chars[plain]] = [chars[plain]!, chars[0]!];
  }
  return chars.join('');
}

function pick(alphabet: string): string {
  return alphabet[crypto.randomInt(alphabet.length)]!;
}
