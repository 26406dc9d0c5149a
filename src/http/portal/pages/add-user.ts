import crypto from 'node:crypto';
import { Router, type Response } from 'express';
import type { ExistingAccount } from '../../../ports/directory';
import { displayName } from '../../../domain/display-name';
import { toProblem } from '../../problem-of';
import type { Principal } from '../../../access/principals';
import { administers } from '../../../access/rights';
import type { Problem } from '../../problem';
import { createAccountOnce } from '../../../operations/create-account-once';
import { formChoices } from '../form-choices';
import { ADD_USER_FIELDS, createRequestFrom, valuesOf } from '../forms/account-forms';
import { text, type Form } from '../forms/form-values';
import { isFormProblem, pageErrors } from '../page-errors';
import type { PortalDeps } from '../portal-deps';
import { signedInPrincipal } from '../signed-in';
import { NO_ERRORS, renderPage, type PageErrors } from '../views';

interface AddUserState {
  values: Record<string, unknown>;
  errors: PageErrors;
  duplicate?: unknown;
  formKey: string;
}

function showForm(res: Response, principal: Principal, state: AddUserState, status = 200) {
  const values = state.values as { firstName?: string; lastName?: string };
  renderPage(
    res,
    'add-user.njk',
    {
      nav: 'add',
      choices: formChoices(principal),
      displayName: displayName(values.firstName ?? '', values.lastName ?? '').trim(),
      ...state,
    },
    status,
  );
}

/** R12 on the page: the existing account or the candidates the API names, and what to do next. */
function duplicateOf(problem: Problem, principal: Principal) {
  const extra = problem.extra as {
    existing?: ExistingAccount;
    existingInAnotherOrganisation?: boolean;
    candidates?: ExistingAccount[];
    otherCandidates?: number;
  };
  if (extra.existing) {
    return {
      existing: { ...extra.existing, reachable: administers(principal, extra.existing.organisationCode) },
    };
  }
  if (extra.existingInAnotherOrganisation) return { elsewhere: true };
  if (extra.candidates) return { candidates: extra.candidates, otherCandidates: extra.otherCandidates ?? 0 };
  return undefined;
}

/**
 * Add user (the seed's steps 2-12): the create operation the API uses, once per form (a second click on
 * Create, or a reload, gets the first answer without the password); the password is shown once (R13).
 */
export function addUserPage(deps: PortalDeps): Router {
  const router = Router();
  const newKey = () => `portal-form:${crypto.randomUUID()}`;

  router.get('/users/new', (_req, res) => {
    showForm(res, signedInPrincipal(res), { values: {}, errors: NO_ERRORS, formKey: newKey() });
  });

  router.post('/users/new', async (req, res) => {
    const principal = signedInPrincipal(res);
    const form = (req.body ?? {}) as Form;
    const formKey = /^portal-form:[0-9a-f-]{36}$/.test(text(form, 'formKey'))
      ? text(form, 'formKey')
      : newKey();
    try {
      const request = createRequestFrom(form);
      const outcome = await createAccountOnce(deps, principal, request, () => formKey);
      if (outcome.kind === 'accepted') {
        // Reserved, its lifecycle to start when Temporal is back: the same request again shows the password.
        const repeat = { formKey, fields: hiddenFieldsOf(request) };
        renderPage(res, 'created.njk', { nav: 'add', created: outcome.answer, repeat }, 202);
        return;
      }
      const created = outcome.kind === 'created' ? outcome.created : outcome.answer;
      renderPage(res, 'created.njk', { nav: 'add', created }, 201);
    } catch (err) {
      const problem = toProblem(err);
      if (!isFormProblem(problem)) throw err;
      const duplicate = problem.status === 409 ? duplicateOf(problem, principal) : undefined;
      // A refused form gets a new key, so that the corrected form is a new request.
      showForm(
        res,
        principal,
        {
          values: valuesOf(form),
          errors: duplicate ? NO_ERRORS : pageErrors(problem, ADD_USER_FIELDS, '#title'),
          duplicate,
          formKey: newKey(),
        },
        problem.status,
      );
    }
  });
  return router;
}

/** A create request as the hidden fields of a form that sends it again, as it was sent. */
function hiddenFieldsOf(request: Record<string, unknown>): { name: string; value: string }[] {
  return Object.entries(request).flatMap(([name, value]) =>
    Array.isArray(value)
      ? value.map((v) => ({ name, value: String(v) }))
      : [{ name, value: value === true ? 'yes' : String(value) }],
  );
}
