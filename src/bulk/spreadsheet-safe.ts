/**
 * What a spreadsheet takes for the start of a formula (OWASP, "CSV Injection"): = + - @, a tab or a
 * carriage return, and the full-width forms of the first four, which some spreadsheets fold to them.
 */
const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20']);

/** Whether a spreadsheet opening this cell could run it as a formula. */
export function startsLikeFormula(cell: string): boolean {
  return cell.length > 0 && FORMULA_START.has(cell[0]!);
}

/**
 * A cell a spreadsheet shows as text: one that would start a formula gets a leading single quote, as
 * OWASP's guidance says. Every cell of every file the engine serves goes through this.
 */
export function spreadsheetSafe(cell: string): string {
  return startsLikeFormula(cell) ? `'${cell}` : cell;
}
