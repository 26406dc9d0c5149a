import { WorkflowNotFoundError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logger';
import { OperationError, type OperationErrorKind } from '../operations/errors';
import { Problem, sendProblem } from './problem';
import { PROBLEM_TYPES, problemTypeOf, variantProblem, type ProblemType } from './problem-types';

/** Told of each problem answer before it is sent, with the error it came from. */
export type ProblemObserver = (res: Response, problem: Problem, err: unknown) => void;

/** Answers every error as a problem (toProblem); 5xx are logged, with the error, never shown. */
export function errorHandler(logger: Logger, observe?: ProblemObserver) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const problem = toProblem(err);
    if (problem.status >= 500) (req.log ?? logger).error({ err }, 'request failed');
    observe?.(res, problem, err);
    sendProblem(res, problem);
  };
}

/** The status each kind of operation error is answered with. */
const STATUS: Record<OperationErrorKind, number> = {
  invalid: 400,
  forbidden: 403,
  'not-found': 404,
  refused: 409,
  conflict: 409,
  'key-reused': 422,
  busy: 429,
  unavailable: 503,
};

/** The problem type of each kind of operation error, unless it names a variant of its own. */
const TYPE: Record<OperationErrorKind, ProblemType | undefined> = {
  conflict: undefined,
  invalid: 'invalid-request',
  forbidden: 'forbidden',
  'not-found': 'not-found',
  refused: 'refused',
  'key-reused': 'idempotency-key-reused',
  busy: 'too-many-requests',
  unavailable: 'unavailable',
};

/** Seconds a client waits before repeating a request answered 503, when nothing says better. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/** An operation's error as the problem the API answers and the portal shows. */
function problemOf(err: OperationError): Problem {
  const retryAfter =
    err.retryAfterSeconds ?? (err.kind === 'unavailable' ? UNAVAILABLE_RETRY_AFTER_SECONDS : undefined);
  const headers: Record<string, string> =
    retryAfter === undefined ? {} : { 'Retry-After': String(retryAfter) };
  const type = err.variant ? variantProblem(err.variant) : TYPE[err.kind];
  const extra = err.kind === 'refused' && err.rule ? { ...err.extra, rule: err.rule } : err.extra;
  return new Problem(STATUS[err.kind], err.title, err.detail, err.fields, extra, headers, type);
}

/** The title of a status's problem type, one problem type having one title. */
function titleOf(status: number): string {
  const type = problemTypeOf(status);
  return type ? PROBLEM_TYPES[type].title : 'Bad request';
}

const unavailable = (detail: string) =>
  new Problem(
    503,
    'Service unavailable',
    detail,
    undefined,
    {},
    {
      'Retry-After': String(UNAVAILABLE_RETRY_AFTER_SECONDS),
    },
  );

/**
 * Every error as a problem: an operation's by its kind; Temporal's that mean it did not answer as 503; an
 * unknown lifecycle as 404; the body parser's as 400 or 413; anything else as 500, saying nothing of it.
 */
export function toProblem(err: unknown): Problem {
  if (err instanceof Problem) return err;
  if (err instanceof OperationError) return problemOf(err);
  if (err instanceof WorkflowNotFoundError) return new Problem(404, 'Not found', 'No such account.');
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
    return unavailable(
      "The account's lifecycle did not answer in time (is the worker running?). The change may still be " +
        'applied: read the account before repeating it.',
    );
  }
  const bodyError = err as { type?: string; status?: number };
  if (bodyError.type === 'entity.parse.failed') {
    return new Problem(400, 'Invalid request', 'The body is not valid JSON.', [
      { path: '(body)', message: 'The request body must be valid JSON' },
    ]);
  }
  if (bodyError.type === 'entity.too.large')
    return new Problem(413, 'Payload too large', 'The body is too large.');
  if (typeof bodyError.status === 'number' && bodyError.status >= 400 && bodyError.status < 500) {
    // The body parser's other refusals (an unsupported charset, a body cut short): the body is named.
    const message = (err as Error).message;
    return bodyError.status === 400
      ? new Problem(400, 'Invalid request', message, [{ path: '(body)', message }])
      : new Problem(bodyError.status, titleOf(bodyError.status), message);
  }
  if (isUnavailable(err)) return unavailable('Temporal is not reachable; try again.');
  if (grpcCode(err) === CANCELLED) {
    return unavailable("The account's lifecycle did not answer in time (is the worker running?); try again.");
  }
  return new Problem(
    500,
    'Internal error',
    'Something went wrong; the request id identifies it in the logs.',
  );
}

/**
 * gRPC CANCELLED: seen by npm run chaos for queries cut short after the worker answering them was killed
 * (the call's 30 s deadline ran out while Temporal's client retried it). Transient, like DEADLINE_EXCEEDED.
 */
const CANCELLED = 1;

function grpcCode(err: unknown): number | undefined {
  return (
    (err as { code?: number; cause?: { code?: number } }).code ??
    (err as { cause?: { code?: number } }).cause?.code
  );
}

function isUnavailable(err: unknown): boolean {
  const code = grpcCode(err);
  return code === 14 || code === 4; // gRPC UNAVAILABLE, DEADLINE_EXCEEDED
}
