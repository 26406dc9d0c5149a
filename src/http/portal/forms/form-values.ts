/** A submitted form, as express.urlencoded gives it: a field is a string, or a list when repeated. */
export type Form = Record<string, string | string[] | undefined>;

/** A text field's value ('' when absent or sent twice). */
export function text(form: Form, name: string): string {
  const value = form[name];
  return typeof value === 'string' ? value : '';
}

/** A checkbox group's ticked values. */
export function list(form: Form, name: string): string[] {
  const value = form[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((v) => typeof v === 'string');
}

/** The fields given, without the empty optional ones (an empty box means "not given"). */
export function optionalTexts(form: Form, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    names.map((n): [string, string] => [n, text(form, n).trim()]).filter(([, v]) => v !== ''),
  );
}

export function optionalLists(form: Form, names: readonly string[]): Record<string, string[]> {
  return Object.fromEntries(
    names.map((n): [string, string[]] => [n, list(form, n)]).filter(([, v]) => v.length > 0),
  );
}
