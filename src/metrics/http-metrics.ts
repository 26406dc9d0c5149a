import type { RequestHandler, Response } from 'express';
import type { ProblemObserver } from '../http/problem-of';
import type { Problem } from '../http/problem';
import { routeTemplate } from '../http/route-template';
import type { CreateOutcome, EngineMetrics } from './engine-metrics';
import { OperationError } from '../operations/errors';

/** The route a create is, as its template. */
const CREATE = 'POST /v1/accounts';

interface Noted {
  problem?: { title: string };
}
const noted = (res: Response) => res.locals as Noted;

/**
 * Times every request and counts it by its route's template (`/v1/accounts/:id`, never the path with an
 * id in it); "unmatched" when no route answered (unknown paths, and requests refused before their route:
 * authentication, rate limits). Creates are also counted by outcome.
 */
export function httpMetrics(metrics: EngineMetrics): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeTemplate(req, res);
      metrics.httpRequest(req.method, route, res.statusCode, seconds);
      if (`${req.method} ${route}` === CREATE) metrics.create(createOutcome(res));
    });
    next();
  };
}

/** Notes each problem answer for the create's outcome, and counts the lifecycle's refusals by rule. */
export function problemMetrics(metrics: EngineMetrics): ProblemObserver {
  return (res: Response, problem: Problem, err: unknown) => {
    noted(res).problem = { title: problem.title };
    if (err instanceof OperationError && err.kind === 'refused') {
      metrics.lifecycleRefusal(err.rule ?? 'unspecified');
    }
  };
}

function createOutcome(res: Response): CreateOutcome {
  const status = res.statusCode;
  const problem = noted(res).problem;
  if (status === 201) return res.get('Idempotent-Replayed') === 'true' ? 'replayed' : 'created';
  if (status === 202) return 'reserved-lifecycle-pending';
  if (status === 409) {
    if (problem?.title === 'Duplicate account') return 'duplicate';
    if (problem?.title === 'Possible duplicate account') return 'possible-duplicate';
    if (problem?.title === 'In progress') return 'in-progress';
  }
  if (status === 403) return 'not-allowed';
  if (status >= 400 && status < 500) return 'invalid';
  return 'failed';
}
