import {
  ENGINE_SCHEMA,
  ENTERPRISE_SCHEMA,
  READ_ONLY_ENGINE_ATTRIBUTES,
  USER_SCHEMA,
  type ScimUser,
} from './user-resource';

const EXTENSIONS = [ENTERPRISE_SCHEMA, ENGINE_SCHEMA];
/** Returned whatever `attributes` or `excludedAttributes` say (RFC 7643 7, returned "always"). */
const ALWAYS = new Set(['id', 'schemas', 'meta']);

/** An attribute path as keys: a URN-qualified one under its schema (`urn:...:User:employeeNumber`). */
function keysOf(path: string): string[] {
  const lower = path.trim().toLowerCase();
  const extension = EXTENSIONS.find((urn) => lower.startsWith(`${urn.toLowerCase()}:`));
  if (extension)
    return [
      extension,
      ...path
        .trim()
        .slice(extension.length + 1)
        .split('.'),
    ];
  if (EXTENSIONS.some((urn) => urn.toLowerCase() === lower)) return [path.trim()];
  const core = `${USER_SCHEMA.toLowerCase()}:`;
  return (lower.startsWith(core) ? path.trim().slice(core.length) : path.trim()).split('.');
}

const keyIn = (object: Record<string, unknown>, name: string) =>
  Object.keys(object).find((k) => k.toLowerCase() === name.toLowerCase());

function copy(from: unknown, to: Record<string, unknown>, keys: string[]): void {
  if (typeof from !== 'object' || from === null) return;
  const source = from as Record<string, unknown>;
  const key = keyIn(source, keys[0]!);
  if (key === undefined) return;
  if (keys.length === 1) {
    to[key] = source[key];
    return;
  }
  const value = source[key];
  if (Array.isArray(value)) {
    const picked = value.map((item) => {
      const one: Record<string, unknown> = {};
      copy(item, one, keys.slice(1));
      return one;
    });
    to[key] = picked;
    return;
  }
  const inner = (to[key] ??= {}) as Record<string, unknown>;
  copy(value, inner, keys.slice(1));
}

function remove(object: unknown, keys: string[]): void {
  if (typeof object !== 'object' || object === null) return;
  if (Array.isArray(object)) {
    object.forEach((item) => remove(item, keys));
    return;
  }
  const target = object as Record<string, unknown>;
  const key = keyIn(target, keys[0]!);
  if (key === undefined || (keys.length === 1 && ALWAYS.has(key))) return;
  if (keys.length === 1) delete target[key];
  else remove(target[key], keys.slice(1));
}

const listOf = (text: unknown) =>
  typeof text === 'string' && text.trim() ? text.split(',').filter((p) => p.trim()) : [];

/**
 * RFC 7644 3.4.2.5: only the `attributes` asked for (and those always returned), or all but
 * `excludedAttributes` and those returned only on request. The engine's extension named whole in `attributes`
 * brings all of it.
 */
export function projected(user: ScimUser, attributes: unknown, excluded: unknown): Record<string, unknown> {
  const wanted = listOf(attributes);
  if (wanted.length > 0) {
    const out: Record<string, unknown> = { schemas: user.schemas, id: user.id };
    for (const path of wanted) copy(user, out, keysOf(path));
    out.meta = user.meta;
    return out;
  }
  // The engine's read-only attributes are returned "request" (discovery.ts): only when `attributes` names them.
  const unwanted = [...listOf(excluded), ...READ_ONLY_ENGINE_ATTRIBUTES.map((a) => `${ENGINE_SCHEMA}:${a}`)];
  const out = structuredClone(user) as Record<string, unknown>;
  for (const path of unwanted) remove(out, keysOf(path));
  return out;
}
