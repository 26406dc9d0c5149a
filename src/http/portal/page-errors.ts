import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../../logger';
import { toProblem } from '../problem-of';
import type { Problem } from '../problem';
import { renderPage, type PageErrors } from './views';

/**
 * R4 on a page: each field error of the operation (the API's own words) under its field and in the
 * summary, linking to it; any other refusal in the summary, linking to `elsewhere`.
 */
export function pageErrors(problem: Problem, fields: readonly string[], elsewhere: string): PageErrors {
  const errors: PageErrors = { list: [], byField: {} };
  for (const error of problem.errors ?? []) {
    const field = error.path.split('.')[0]!;
    const known = fields.includes(field);
    if (known && errors.byField[field] === undefined) errors.byField[field] = error.message;
    errors.list.push({ text: error.message, href: known ? `#${field}` : elsewhere });
  }
  if (!problem.errors?.length) errors.list.push({ text: problem.detail ?? problem.title, href: elsewhere });
  return errors;
}

/** The problems a form shows on its own page (bad fields, refusals, duplicates); others get an error page. */
export function isFormProblem(problem: Problem): boolean {
  return problem.status === 400 || problem.status === 409 || problem.status === 422;
}

const HEADINGS: Record<number, string> = {
  400: 'There is a problem with this request',
  401: 'Sign in to continue',
  403: 'You cannot see or change this',
  404: 'Page not found',
  409: 'This cannot be done now',
  413: 'The form is too large',
  429: 'Too many requests',
  503: 'The service is not available right now',
};

/** Every other error as an NHS-styled page with the API's status and words; 5xx logged, never shown. */
export function errorPage(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const csrf = (err as { code?: string }).code === 'EBADCSRFTOKEN';
    const problem = csrf
      ? { status: 403, title: 'Forbidden', detail: (err as Error).message, headers: {} }
      : toProblem(err);
    if (problem.status >= 500) (req.log ?? logger).error({ err }, 'page failed');
    res.set(problem.headers);
    renderPage(
      res,
      'error.njk',
      {
        pageTitle: HEADINGS[problem.status] ?? 'Sorry, there is a problem with the service',
        heading: HEADINGS[problem.status] ?? 'Sorry, there is a problem with the service',
        detail: problem.detail ?? problem.title,
        hint: csrf ? 'Go back, reload the page and try again.' : undefined,
        ...(res.locals.principal ? {} : { backHref: '/sign-in', backText: 'Go to sign in' }),
      },
      problem.status,
    );
  };
}
