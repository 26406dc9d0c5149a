import type { Response } from 'express';
import type { FieldError } from '../operations/errors';
import { problemTypeOf, problemTypeUri, type ProblemType } from './problem-types';

/** An answer other than success, sent as application/problem+json (RFC 9457). */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
    readonly extra: Record<string, unknown> = {},
    /** Headers the answer carries, such as Retry-After. */
    readonly headers: Record<string, string> = {},
    /** Its kind (PROBLEM_TYPES), when the status alone does not say it. */
    readonly type: ProblemType | undefined = problemTypeOf(status),
  ) {
    super(detail ?? title);
  }
}

export const badRequest = (errors: FieldError[]) =>
  new Problem(400, 'Invalid request', 'Correct the fields listed in errors; nothing was changed.', errors);
export const forbidden = (detail: string) => new Problem(403, 'Forbidden', detail);
export const notFound = (detail: string) => new Problem(404, 'Not found', detail);

export function sendProblem(res: Response, error: Problem): void {
  res.set(error.headers);
  res
    .status(error.status)
    .type('application/problem+json')
    .json({
      type: error.type ? problemTypeUri(error.type) : 'about:blank',
      title: error.title,
      status: error.status,
      ...(error.detail ? { detail: error.detail } : {}),
      ...(error.errors ? { errors: error.errors } : {}),
      ...error.extra,
    });
}
