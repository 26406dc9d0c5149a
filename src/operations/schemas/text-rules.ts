/**
 * The characters a text field may hold, as regular expression sources shared by the API's checks and the
 * OpenAPI document's patterns (read by JSON Schema validators in other languages, so every class is written
 * out). Every pattern here is linear: no two parts of one can match the same character at one point, and
 * every field's length is checked before any pattern runs (test/api/regex-safety.test.ts proves both).
 */

/**
 * Security 7: the controls no text field holds: C0 (NUL, tab, line breaks...), DEL and C1. The document's
 * patterns state these.
 */
const CONTROLS = '\\x00-\\x1f\\x7f-\\x9f';
/** Notes are written on lines: tabs and line breaks may be in them, no other control. */
const CONTROLS_BUT_LINES = '\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f';
/**
 * Nor half of a surrogate pair alone, which is no character (UTF-8 cannot write it). JSON can spell one
 * (`"\ud800"`), but a string of Rust, Go or Python's validators cannot hold it, nor their patterns name it:
 * the API checks it, the document does not say it.
 */
const LONE_SURROGATE = '\\ud800-\\udfff';

/**
 * Spaces, tabs, line breaks and no-break spaces around a value are dropped (not `\\s`, nor
 * String.prototype.trim, which drops more), so that the API and the document agree on every character.
 */
const EDGE_CHARACTERS = ' \\t\\r\\n\\u00a0';
export const EDGE = `[${EDGE_CHARACTERS}]*`;
const EDGE_SET = new Set([' ', '\t', '\r', '\n', '\u00a0']);

/** A character that is neither a control nor a space of any kind. */
const SOLID = `[^${CONTROLS} \\u00a0]`;

/** `value` without the edge characters around it. */
export function trimEdges(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && EDGE_SET.has(value[start]!)) start++;
  while (end > start && EDGE_SET.has(value[end - 1]!)) end--;
  return value.slice(start, end);
}

/** Holds a control character or half a surrogate pair (with the u flag, only one alone matches). */
export const HAS_CONTROL = new RegExp(`[${CONTROLS}${LONE_SURROGATE}]`, 'u');
/** Holds a control character other than a tab or a line break, or half a surrogate pair. */
export const HAS_CONTROL_BUT_LINES = new RegExp(`[${CONTROLS_BUT_LINES}${LONE_SURROGATE}]`, 'u');
/** Holds a character other than those the edges may have. */
export const NOT_BLANK = /[^ \t\r\n\u00a0]/;

/** Any text without a control character. */
export const NO_CONTROLS = new RegExp(`^[^${CONTROLS}]*$`, 'u');
/** Lines of text: no control character but tabs and line breaks. */
export const LINES = new RegExp(`^[^${CONTROLS_BUT_LINES}]*$`, 'u');
/**
 * One line of text, not blank, perhaps with edge characters around it: inside, words of characters other
 * than controls and spaces, separated by spaces (each run of spaces is followed by a word, so a run of
 * spaces at the end can only be the edge's).
 */
export const ONE_LINE = new RegExp(`^${EDGE}${SOLID}(?:[ \\u00a0]*${SOLID})*${EDGE}$`, 'u');
/** One line of at least two characters besides the edge characters (a search). */
export const TWO_OR_MORE = new RegExp(`^${EDGE}${SOLID}[^${CONTROLS}]*${SOLID}${EDGE}$`, 'u');
