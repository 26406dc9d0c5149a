/**
 * A rule's citation in a text, as the docs number the rules: " (R17)", " (R12, R28)", " (R18-R20)",
 * " (R14a)". Each part matches one way only, so the match is linear.
 */
const CITATION = / ?\(R\d{1,2}[a-z]?(?:(?:, | and |-|–)R\d{1,2}[a-z]?)*\)/g;

/** What an administrator typed, kept as it is: a textarea's text, a field's value. */
const TYPED = /(<textarea\b[^>]*>[^<]*<\/textarea>|\svalue="[^"]*")/gi;

/** A text without its rules' citations: they are for the docs, the API's problems and the audit trail. */
export const withoutRuleIds = (text: string): string => text.replace(CITATION, '');

/**
 * A rendered page without the rules' citations of its words (the status lines, the history, refusals,
 * field errors, messages and the pages' own texts), but for what was typed into its forms.
 */
export function pageWithoutRuleIds(html: string): string {
  return html
    .split(TYPED)
    .map((part, i) => (i % 2 === 1 ? part : withoutRuleIds(part)))
    .join('');
}
