import type { z } from 'zod';
import { invalid, type FieldError } from './errors';

const NOT_SETTABLE: Record<string, string> = {
  displayName: 'The display name is set from the first and last name and cannot be given (R5)',
  organisation:
    'The organisation cannot be edited: the organisation marks the account as a leaver (POST /v1/accounts/{id}/leaver) ' +
    'and the new one accepts it as a joiner (POST /v1/accounts/{id}/joiner) (R28)',
  emailAlias: 'The email alias cannot be edited once the account exists (R17)',
};

/** One error per field at fault, with the field's path (R4): the first found where a field breaks several rules. */
export function fieldErrors(error: z.ZodError): FieldError[] {
  const all = error.issues.flatMap((issue): FieldError[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: [...issue.path, key].join('.'),
        message: Object.hasOwn(NOT_SETTABLE, key)
          ? NOT_SETTABLE[key]!
          : `"${key}" is not a field of this request`,
      }));
    }
    if (issue.path.length === 0 && issue.code === 'invalid_type') {
      return [
        {
          path: '(body)',
          message:
            issue.input === undefined
              ? 'The request has no body: send a JSON object, with Content-Type: application/json'
              : 'The request body must be a JSON object',
        },
      ];
    }
    return [{ path: issue.path.join('.') || '(body)', message: issue.message }];
  });
  return all.filter((e, i) => all.findIndex((other) => other.path === e.path) === i);
}

/** The parsed value, or a 400 naming every field at fault. */
export function parseOrReject<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalid(fieldErrors(result.error));
  return result.data;
}
