import crypto from 'node:crypto';
import path from 'node:path';
import type { Response } from 'express';
import nunjucks from 'nunjucks';
import { PROJECT_ROOT } from '../../project-root';
import type { Principal } from '../../access/principals';
import type { PolicyInWords } from '../../domain/policy-in-words';
import { formatTime } from './format-time';
import { pageWithoutRuleIds } from './without-rule-ids';
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

/** What every page and live part sees: who is signed in and the form token. */
function withSession(res: Response, context: Record<string, unknown>): Record<string, unknown> {
  return {
    errors: NO_ERRORS,
    values: {},
    ...context,
    principal: res.locals.principal as Principal | undefined,
    csrfToken: sessionOf(res)?.csrfToken,
    durations: res.locals.durations as PolicyInWords | undefined,
  };
}

/** Renders a page with what every page shows: who is signed in, the form token and any message. */
export function renderPage(
  res: Response,
  view: string,
  context: Record<string, unknown>,
  status = 200,
): void {
  res
    .status(status)
    .type('html')
    .send(pageWithoutRuleIds(env.render(view, withSession(res, context))));
}

/**
 * A page's live part with its forms (the Account page's content) as the page's own refresh gets it, and its
 * digest in the form of an RFC 9530 Content-Digest: the page compares digests to know whether it changed.
 */
export function livePart(res: Response, view: string, context: Record<string, unknown>) {
  const html = renderPart(res, view, context);
  return { html, digest: `sha-256=:${crypto.createHash('sha256').update(html).digest('base64')}:` };
}

export function sendLivePart(res: Response, part: { html: string; digest: string }): void {
  res.set('Content-Digest', part.digest).type('html').send(part.html);
}

/** A part of a page with what its forms need, for a page's live refresh (an upload's progress). */
export function renderPart(res: Response, view: string, context: Record<string, unknown>): string {
  return pageWithoutRuleIds(env.render(view, withSession(res, context)));
}
