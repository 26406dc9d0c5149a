import path from 'node:path';
import type { Response } from 'express';
import nunjucks from 'nunjucks';
import { PROJECT_ROOT } from '../../project-root';
import type { Principal } from '../../access/principals';
import { formatTime } from './format-time';
import { sessionOf } from './session';

const nhsukDist = path.join(path.dirname(require.resolve('nhsuk-frontend/package.json')), 'dist');
export const VIEWS_DIR = path.join(PROJECT_ROOT, 'src/http/portal/views');

const env = nunjucks.configure([VIEWS_DIR, nhsukDist], { autoescape: true, throwOnUndefined: false });
env.addGlobal('at', formatTime);

/** What a form page shows of its errors: the summary's links (R4) and each field's message. */
export interface PageErrors {
  list: { text: string; href: string }[];
  byField: Record<string, string>;
}

export const NO_ERRORS: PageErrors = { list: [], byField: {} };

/** Renders a page with what every page shows: who is signed in, the form token and any message. */
export function renderPage(
  res: Response,
  view: string,
  context: Record<string, unknown>,
  status = 200,
): void {
  const session = sessionOf(res);
  const principal = res.locals.principal as Principal | undefined;
  const html = env.render(view, {
    errors: NO_ERRORS,
    values: {},
    ...context,
    principal,
    csrfToken: session?.csrfToken,
  });
  res.status(status).type('html').send(html);
}

/** A fragment of a page, for the live parts (the account's status). */
export function renderFragment(view: string, context: Record<string, unknown>): string {
  return env.render(view, context);
}
