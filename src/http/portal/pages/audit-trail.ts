import { Router } from 'express';
import { searchAudit, type AuditSearchPage } from '../../../operations/search-audit';
import { ukDayEnd, ukDayStart } from '../../../domain/uk-day';
import { Problem } from '../../problem';
import { toProblem } from '../../problem-of';
import { historyRows } from '../account-summary';
import { pageErrors } from '../page-errors';
import type { PortalDeps } from '../portal-deps';
import { signedInPrincipal } from '../signed-in';
import { NO_ERRORS, renderPage, type PageErrors } from '../views';

const FIELDS = ['actor', 'org', 'from', 'to'] as const;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar day as the date field sends it, if it is one. */
function isDay(value: string): boolean {
  const m = DAY.exec(value);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === value;
}

/**
 * The audit trail (R2): search who did what, to which account, in which organisation and when, within the
 * caller's rights (R1; the search of GET /v1/audit), the days taken in UK time, from the start of `from`
 * to the end of `to`; newest first, a page at a time.
 */
export function auditTrailPage(deps: PortalDeps): Router {
  const router = Router();
  router.get('/audit-trail', async (req, res) => {
    const principal = signedInPrincipal(res);
    const text = (name: string) => (typeof req.query[name] === 'string' ? req.query[name].trim() : '');
    const form = Object.fromEntries(FIELDS.map((f) => [f, text(f)])) as Record<
      (typeof FIELDS)[number],
      string
    >;
    const cursor = text('cursor');
    const searched = FIELDS.some((f) => req.query[f] !== undefined);
    let page: AuditSearchPage = { items: [], nextCursor: null };
    let errors: PageErrors = NO_ERRORS;
    const dayErrors = (['from', 'to'] as const)
      .filter((f) => form[f] && !isDay(form[f]))
      .map((f) => ({
        path: f,
        message: `${f === 'from' ? 'From' : 'To'} must be a date, such as 2026-12-05`,
      }));
    if (dayErrors.length) {
      errors = pageErrors(new Problem(400, 'Invalid request', undefined, dayErrors), FIELDS, '#actor');
    } else if (searched) {
      try {
        page = await searchAudit(deps.audit, principal, {
          ...(form.actor ? { actor: form.actor } : {}),
          ...(form.org ? { org: form.org } : {}),
          ...(form.from ? { from: ukDayStart(form.from).toISOString() } : {}),
          ...(form.to ? { to: ukDayEnd(form.to).toISOString() } : {}),
          ...(cursor ? { cursor } : {}),
        });
      } catch (err) {
        const problem = toProblem(err);
        if (problem.status !== 400 && problem.status !== 403) throw err;
        errors = pageErrors(problem, FIELDS, '#actor');
      }
    }
    const next = page.nextCursor && new URLSearchParams({ ...form, cursor: page.nextCursor }).toString();
    renderPage(
      res,
      'audit-trail.njk',
      {
        nav: 'audit',
        query: form,
        organisations: principal.kind === 'local-admin' ? principal.orgs : [],
        searched: searched && errors.list.length === 0,
        entries: historyRows([...page.items].reverse()),
        nextPage: next ? `/audit-trail?${next}` : null,
        errors,
      },
      errors.list.length ? 400 : 200,
    );
  });
  return router;
}
