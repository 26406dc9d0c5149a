/** A rule number R1..R32 standing alone (not part of a code such as R0A or R8000). */
const RULE = /\bR([1-9]|[12]\d|3[0-2])[a-z]?\b/;

/**
 * The rule a lifecycle's refusal cites first ("... (R17)."), as a metric label: one of R1..R32, or
 * "unspecified"; never the message itself, which may name the account.
 */
export function refusalRule(message: string | undefined): string {
  const found = RULE.exec(message ?? '');
  return found ? `R${found[1]}` : 'unspecified';
}
