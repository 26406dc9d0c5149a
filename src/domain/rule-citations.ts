/**
 * A rule's citation in a text, as the docs number the rules: " (R17)", " (R12, R28)", " (R18-R20)",
 * " (R14a)". Each part matches one way only, so the match is linear.
 */
const CITATION = / ?\(R\d{1,2}[a-z]?(?:(?:, | and |-|–)R\d{1,2}[a-z]?)*\)/g;

/**
 * A text for administrators, without its rules' citations: they are for the docs, the API's problems and
 * the audit trail, and mean nothing to a local administrator.
 */
export const withoutRuleIds = (text: string): string => text.replace(CITATION, '');
