import { withoutRuleIds } from '../../domain/rule-citations';

/** What an administrator typed, kept as it is: a textarea's text, a field's value. */
const TYPED = /(<textarea\b[^<>]*>[^<]*<\/textarea>|\svalue="[^"]*")/gi;

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
