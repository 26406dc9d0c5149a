import { Router, type Request, type Response } from 'express';
import type { AccountView } from '../../../domain/lifecycle-state';
import { statusInWords } from '../../../domain/status-in-words';
import { toProblem } from '../../problem-of';
import type { Principal } from '../../../access/principals';
import { worded, type AnyAccountChange } from '../../../operations/account-change-row';
import { policyInWords } from '../../../domain/policy-in-words';
import { CHANGE_ROWS, type ChangeName } from '../../../operations/account-changes';
import { makeChange } from '../../../operations/make-change';
import { readAccount, readHistory } from '../../../operations/read-account';
import { accountActions, portalPathOf } from '../account-actions';
import { historyRows, summaryRows } from '../account-summary';
import { formatTime } from '../format-time';
import type { Form } from '../forms/form-values';
import { isFormProblem, pageErrors } from '../page-errors';
import type { PortalDeps } from '../portal-deps';
import { setFlash, takeFlash } from '../session';
import { signedInPrincipal } from '../signed-in';
import { NO_ERRORS, livePart, renderPage, sendLivePart, type PageErrors } from '../views';

const LIVE_PART = 'partials/account-content.njk';
const ACTION_FIELDS = ['notes', 'term', 'riskAssessmentRef'];

export const accountPath = (id: string) => `/accounts/${encodeURIComponent(id)}`;

/** A form's field as a change reads it: absent, or its text ('' when it was sent twice). */
const fieldOf = (form: Form) => (name: string) => {
  const value = form[name];
  return value === undefined ? undefined : typeof value === 'string' ? value : '';
};

/** The account and the temporary password a change's answer shows once (R13): a retry's, a resecure's. */
function withPassword(answer: unknown): { view: AccountView; temporaryPassword: string | null } {
  const a = answer as (AccountView | { account: AccountView }) & { temporaryPassword: string | null };
  return { view: 'account' in a ? a.account : a, temporaryPassword: a.temporaryPassword };
}

/**
 * The Account page: the account's summary, its status in plain words, every change the table offers on it
 * (each through the same operation as its API route) and its history (R2).
 */
export function accountPage(deps: PortalDeps): Router {
  const router = Router();
  const durations = policyInWords(deps.policy);

  /** What the page shows of the account now: its status, details, MFA and policy, actions and history. */
  async function content(principal: Principal, id: string) {
    const view = await readAccount(deps, principal, id);
    const history = await readHistory(deps, principal, id);
    return {
      view,
      words: statusInWords(view, deps.policy, formatTime),
      summaryRows: summaryRows(view),
      history: historyRows(history),
      actions: accountActions(view, principal, durations),
    };
  }

  async function show(
    res: Response,
    principal: Principal,
    id: string,
    extra: { errors?: PageErrors; values?: Record<string, unknown>; status?: number } = {},
  ) {
    const now = await content(principal, id);
    renderPage(
      res,
      'account.njk',
      {
        nav: 'users',
        flash: await takeFlash(res),
        ...now,
        liveDigest: livePart(res, LIVE_PART, now).digest,
        errors: extra.errors ?? NO_ERRORS,
        values: extra.values ?? {},
      },
      extra.status ?? 200,
    );
  }

  router.get('/accounts/:id', async (req, res) => {
    await show(res, signedInPrincipal(res), req.params.id);
  });

  /** The page's content as it is now, for the page's live refresh: every part agrees with the status. */
  router.get('/accounts/:id/content', async (req, res) => {
    const principal = signedInPrincipal(res);
    sendLivePart(res, livePart(res, LIVE_PART, await content(principal, req.params.id)));
  });

  /**
   * A change's form: the operation, then back to the Account page with a message (or the new temporary
   * password's page); a refusal or a field at fault is shown on the Account page itself, in the
   * operation's words (R4), with what was typed.
   */
  function action(name: ChangeName, change: AnyAccountChange) {
    const { portal } = change;
    if (!portal) return;
    router.post(`/accounts/:id/${portalPathOf(change)}`, async (req: Request<{ id: string }>, res) => {
      const principal = signedInPrincipal(res);
      const form = (req.body ?? {}) as Form;
      let answer: unknown;
      try {
        answer = await makeChange(deps, principal, name, req.params.id, portal.form?.(fieldOf(form)));
      } catch (err) {
        const problem = toProblem(err);
        if (!isFormProblem(problem)) throw err;
        const values = Object.fromEntries(
          ACTION_FIELDS.map((f) => [f, form[f]]).filter(([, v]) => v !== undefined),
        );
        return show(res, principal, req.params.id, {
          errors: pageErrors(problem, ACTION_FIELDS, portal.section),
          values,
          status: problem.status,
        });
      }
      if ('say' in portal.done) {
        await setFlash(res, portal.done.say(answer as never, formatTime));
        return res.redirect(303, accountPath(req.params.id));
      }
      const { view, temporaryPassword } = withPassword(answer);
      renderPage(res, 'new-password.njk', {
        nav: 'users',
        heading: portal.done.showPassword.heading,
        view,
        temporaryPassword,
        warnings: view.warnings,
        explanation: worded(portal.done.showPassword.explanation, durations),
      });
    });
  }

  for (const [name, change] of CHANGE_ROWS) action(name, change);
  return router;
}
