import {
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logger';
import { REFUSED } from '../workflows/definitions';
import { ApiError, sendProblem } from './problem';

/** Told of each problem answer before it is sent, with the error it came from. */
export type ProblemObserver = (res: Response, problem: ApiError, err: unknown) => void;

/** Maps every error to a problem answer: refusals to 409, unknown accounts to 404, bad bodies to 400. */
export function errorHandler(logger: Logger, observe?: ProblemObserver) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const problem = toProblem(err);
    if (problem.status >= 500) (req.log ?? logger).error({ err }, 'request failed');
    observe?.(res, problem, err);
    sendProblem(res, problem);
  };
}

/** The lifecycle's refusal of a change (an Update that failed as Refused), if that is what `err` is. */
export function lifecycleRefusal(err: unknown): ApplicationFailure | undefined {
  if (!(err instanceof WorkflowUpdateFailedError)) return undefined;
  const cause = err.cause;
  return cause instanceof ApplicationFailure && cause.type === REFUSED ? cause : undefined;
}

export function toProblem(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const refusal = lifecycleRefusal(err);
  if (refusal) {
    const missing = (refusal.details?.[0] as { missing?: string[] } | undefined)?.missing ?? [];
    return new ApiError(409, 'Refused', refusal.message, undefined, missing.length ? { missing } : {});
  }
  if (err instanceof WorkflowNotFoundError) return new ApiError(404, 'Not found', 'No such account.');
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
    return new ApiError(
      503,
      'Service unavailable',
      "The account's lifecycle did not answer in time (is the worker running?). The change may still be " +
        'applied: read the account before repeating it.',
    );
  }
  const bodyError = err as { type?: string; status?: number };
  if (bodyError.type === 'entity.parse.failed') {
    return new ApiError(400, 'Invalid request', 'The body is not valid JSON.', [
      { path: '(body)', message: 'The request body must be valid JSON' },
    ]);
  }
  if (bodyError.type === 'entity.too.large')
    return new ApiError(413, 'Payload too large', 'The body is too large.');
  if (typeof bodyError.status === 'number' && bodyError.status >= 400 && bodyError.status < 500) {
    return new ApiError(bodyError.status, 'Bad request', (err as Error).message);
  }
  if (isUnavailable(err))
    return new ApiError(503, 'Service unavailable', 'Temporal is not reachable; try again.');
  if (grpcCode(err) === CANCELLED) {
    return new ApiError(
      503,
      'Service unavailable',
      "The account's lifecycle did not answer in time (is the worker running?); try again.",
    );
  }
  return new ApiError(
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
