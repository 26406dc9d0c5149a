import { Router, type Response } from 'express';
import { displayName } from '../../../domain/display-name';
import type { AccountView } from '../../../domain/lifecycle-state';
import { toProblem } from '../../problem-of';
import type { Principal } from '../../../access/principals';
import { makeChange } from '../../../operations/make-change';
import { readAccount } from '../../../operations/read-account';
import { referenceData } from '../../../reference/reference-data';
import { formChoices } from '../form-choices';
import { EDIT_FIELDS, editRequestFrom, editValuesOf, valuesOf } from '../forms/account-forms';
import type { Form } from '../forms/form-values';
import { isFormProblem, pageErrors } from '../page-errors';
import type { PortalDeps } from '../portal-deps';
import { setFlash } from '../session';
import { signedInPrincipal } from '../signed-in';
import { NO_ERRORS, renderPage, type PageErrors } from '../views';
import { accountPath } from './account';

function showForm(
  res: Response,
  principal: Principal,
  view: AccountView,
  values: Record<string, unknown>,
  errors: PageErrors,
  status = 200,
) {
  const v = values as { firstName?: string; lastName?: string };
  const own = referenceData.organisation(view.organisation.code);
  renderPage(
    res,
    'edit-account.njk',
    {
      nav: 'users',
      view,
      values,
      errors,
      displayName: displayName(v.firstName ?? '', v.lastName ?? '').trim(),
      choices: { ...formChoices(principal), organisationTrees: own ? [own] : [] },
    },
    status,
  );
}

/** Edit a user (R25): refused in the lifecycle's words while the mailbox is provisioning (R17). */
export function editAccountPage(deps: PortalDeps): Router {
  const router = Router();
  router.get('/accounts/:id/edit', async (req, res) => {
    const principal = signedInPrincipal(res);
    const view = await readAccount(deps, principal, req.params.id);
    showForm(res, principal, view, editValuesOf(view), NO_ERRORS);
  });

  router.post('/accounts/:id/edit', async (req, res) => {
    const principal = signedInPrincipal(res);
    const view = await readAccount(deps, principal, req.params.id);
    const form = (req.body ?? {}) as Form;
    const changes = editRequestFrom(form, view);
    if (Object.keys(changes).length === 0) {
      await setFlash(res, 'Nothing was changed.');
      return res.redirect(303, accountPath(view.id));
    }
    try {
      await makeChange(deps, principal, 'editAccount', view.id, changes);
    } catch (err) {
      const problem = toProblem(err);
      if (!isFormProblem(problem)) throw err;
      return showForm(
        res,
        principal,
        view,
        valuesOf(form),
        pageErrors(problem, EDIT_FIELDS, '#title'),
        problem.status,
      );
    }
    await setFlash(res, 'Changes saved; the NHS Directory is updated.');
    res.redirect(303, accountPath(view.id));
  });
  return router;
}
