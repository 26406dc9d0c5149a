/**
 * Security 8: the fields of a PostgreSQL error (node-postgres' DatabaseError) that may quote a row or a
 * statement's values, a phone number among them: `detail` ("Key (mobile)=(+447...) already exists", "Failing
 * row contains (...)"), `where` (the context: "JSON data, line 1: {...}", a statement of a function), `hint`
 * and `internalQuery`. What else it has names things, never values: the code, severity, schema, table,
 * column, data type, constraint and the server's source routine.
 */
const ROW_DATA = ['detail', 'where', 'hint', 'internalQuery'];

/** A log line's errors are found this deep in it: an error, its cause, the cause's cause... */
const MAX_DEPTH = 8;

/**
 * `value` with every error in it (at any depth: a field, a cause, a list) copied without the fields that may
 * quote a row; what holds no such error is returned as it is, the same object.
 */
export function withoutRowData(value: unknown): unknown {
  return scrub(value, 0, new WeakSet());
}

function scrub(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH || seen.has(value)) return value;
  seen.add(value);
  if (value instanceof Error) return errorWithoutRowData(value, depth, seen);
  if (Array.isArray(value)) {
    const items = value.map((item: unknown) => scrub(item, depth + 1, seen));
    return items.some((item, i) => item !== value[i]) ? items : value;
  }
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return value;
  let changed = false;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    copy[key] = scrub(field, depth + 1, seen);
    changed ||= copy[key] !== field;
  }
  return changed ? copy : value;
}

function errorWithoutRowData(err: Error, depth: number, seen: WeakSet<object>): Error {
  const descriptors = Object.getOwnPropertyDescriptors(err) as Record<string, PropertyDescriptor>;
  let changed = false;
  for (const key of ROW_DATA) {
    if (key in descriptors) {
      delete descriptors[key];
      changed = true;
    }
  }
  for (const [key, descriptor] of Object.entries(descriptors)) {
    // An accessor (V8's stack may be one) is read from the error itself, and copied as its value.
    const accessor = !('value' in descriptor);
    const field: unknown = accessor ? (err as unknown as Record<string, unknown>)[key] : descriptor.value;
    const scrubbed = scrub(field, depth + 1, seen);
    if (accessor || scrubbed !== field) {
      descriptors[key] = {
        value: scrubbed,
        enumerable: descriptor.enumerable,
        writable: true,
        configurable: true,
      };
    }
    changed ||= scrubbed !== field;
  }
  return changed ? (Object.create(Object.getPrototypeOf(err) as object, descriptors) as Error) : err;
}
