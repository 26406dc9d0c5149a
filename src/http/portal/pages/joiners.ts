import { Router, type Response } from 'express';
import { toProblem } from '../../problem-of';
import type { Principal } from '../../../access/principals';
import { notFound } from '../../problem';
import { findLeavers, type LeaverFound } from '../../../operations/find-leavers';
import { makeChange } from '../../../operations/make-change';
import { formChoices } from '../form-choices';
import { JOINER_FIELDS, joinerRequestFrom, valuesOf } from '../forms/account-forms';
import type { Form } from '../forms/form-values';
import { isFormProblem, pageErrors } from '../page-errors';
import type { PortalDeps } from '../portal-deps';
import { setFlash } from '../session';
import { signedInPrincipal } from '../signed-in';
import { NO_ERRORS, renderPage, type PageErrors } from '../views';
import { accountPath } from './account';

/**
 * Joiners (R28): find a leaver by name, email or mobile (the search of GET /v1/leavers), and accept them
 * into one of the caller's organisations.
 */
export function joinersPage(deps: PortalDeps): Router {
  const router = Router();

  router.get('/joiners', async (req, res) => {
    const principal = signedInPrincipal(res);
    const q = typeof req.query.q === 'string' ? req.query.q : undefined;
    let leavers: LeaverFound[] = [];
    let errors = NO_ERRORS;
    if (q !== undefined) {
      try {
        ({ items: leavers } = await findLeavers(deps.directory, principal, { q }));
      } catch (err) {
        const problem = toProblem(err);
        if (problem.status !== 400) throw err;
        errors = pageErrors(problem, ['q'], '#q');
      }
    }
    renderPage(
      res,
      'joiners.njk',
      {
        nav: 'joiners',
        query: { q: q ?? '' },
        searched: q !== undefined && errors.list.length === 0,
        leavers,
        errors,
      },
      errors.list.length ? 400 : 200,
    );
  });

  async function leaverOf(principal: Principal, id: string): Promise<LeaverFound> {
    const { items } = await findLeavers(deps.directory, principal, { q: id });
    const leaver = items.find((l) => l.id === id.toLowerCase());
    if (!leaver) throw notFound(`No leaver ${id}: their organisation marks them as a leaver first (R28).`);
    return leaver;
  }

  function showForm(
    res: Response,
    principal: Principal,
    leaver: LeaverFound,
    values: Record<string, unknown>,
    errors: PageErrors,
    status = 200,
  ) {
    renderPage(
      res,
      'accept-joiner.njk',
      { nav: 'joiners', leaver, values, errors, choices: formChoices(principal) },
      status,
    );
  }

  router.get('/joiners/:id', async (req, res) => {
    const principal = signedInPrincipal(res);
    showForm(res, principal, await leaverOf(principal, req.params.id), {}, NO_ERRORS);
  });

  router.post('/joiners/:id', async (req, res) => {
    const principal = signedInPrincipal(res);
    const leaver = await leaverOf(principal, req.params.id);
    const form = (req.body ?? {}) as Form;
    try {
      await makeChange(deps, principal, 'acceptJoiner', leaver.id, joinerRequestFrom(form));
    } catch (err) {
      const problem = toProblem(err);
      if (!isFormProblem(problem)) throw err;
      return showForm(
        res,
        principal,
        leaver,
        valuesOf(form),
        pageErrors(problem, JOINER_FIELDS, '#organisation'),
        problem.status,
      );
    }
    await setFlash(
      res,
      `${leaver.displayName} joined your organisation from ${leaver.formerOrganisation.name}.`,
    );
    res.redirect(303, accountPath(leaver.id));
  });
  return router;
}
