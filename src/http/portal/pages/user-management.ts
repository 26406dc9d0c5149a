import { Router } from 'express';
import { toProblem } from '../../problem-of';
import { overdueFlags } from '../../../operations/overdue-flags';
import { searchAccounts } from '../../../operations/search-accounts';
import type { DirectoryEntry } from '../../../ports/directory';
import { formChoices } from '../form-choices';
import { pageErrors } from '../page-errors';
import type { PortalDeps } from '../portal-deps';
import { takeFlash } from '../session';
import { signedInPrincipal } from '../signed-in';
import { NO_ERRORS, renderPage } from '../views';

const SEARCH_FIELDS = ['q', 'org', 'role', 'status'] as const;

/** User Management (the seed's step 1): the directory searched by name, organisation, role and status (R26). */
export function userManagementPage(deps: PortalDeps): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const principal = signedInPrincipal(res);
    const given = Object.fromEntries(
      SEARCH_FIELDS.map((f) => [f, typeof req.query[f] === 'string' ? req.query[f] : '']),
    ) as Record<(typeof SEARCH_FIELDS)[number], string>;
    const cursor = typeof req.query.cursor === 'string' ? req.query.cursor : undefined;
    const query = {
      ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== '')),
      ...(cursor ? { cursor } : {}),
      limit: '25',
    };
    let entries: DirectoryEntry[] = [];
    let nextCursor: string | null = null;
    let errors = NO_ERRORS;
    let status = 200;
    try {
      ({ entries, nextCursor } = await searchAccounts(deps.directory, principal, query));
    } catch (err) {
      const problem = toProblem(err);
      if (problem.status !== 400) throw err;
      errors = pageErrors(problem, SEARCH_FIELDS, '#q');
      status = 400;
    }
    const overdue = await overdueFlags(deps, entries);
    const searchOnly = new URLSearchParams(Object.entries(given).filter(([, v]) => v !== ''));
    const withCursor = (c: string) => `/?${new URLSearchParams([...searchOnly, ['cursor', c]])}`;
    renderPage(
      res,
      'user-management.njk',
      {
        nav: 'users',
        flash: await takeFlash(res),
        query: given,
        searched: Object.values(given).some((v) => v !== '') || cursor !== undefined,
        errors,
        choices: formChoices(principal),
        rows: entries.map((e) => ({ ...e, overdue: overdue.has(e.id) })),
        nextPageHref: nextCursor ? withCursor(nextCursor) : undefined,
        firstPageHref: cursor ? `/?${searchOnly}` : undefined,
      },
      status,
    );
  });
  return router;
}
