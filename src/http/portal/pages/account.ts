import { Router, type Request, type Response } from 'express';
import { statusInWords } from '../../../domain/status-in-words';
import { toProblem } from '../../problem-of';
import type { Principal } from '../../../access/principals';
import { saveNotes } from '../../../operations/account-notes';
import { markAsLeaver, withdrawLeaverMark } from '../../../operations/leaver-mark';
import { startMfaException, stopMfaException } from '../../../operations/mfa-exceptions';
import { changePhoneVisibility } from '../../../operations/phone-visibility';
import { reactivate } from '../../../operations/reactivate-account';
import { readAccount, readHistory } from '../../../operations/read-account';
import { resecure } from '../../../operations/resecure-account';
import { restore } from '../../../operations/restore-account';
import { retryFailedProvisioning } from '../../../operations/retry-provisioning';
import { accountActions } from '../account-actions';
import { historyRows, summaryRows } from '../account-summary';
import { formatTime } from '../format-time';
import { text, type Form } from '../forms/form-values';
import { isFormProblem, pageErrors } from '../page-errors';
import type { PortalDeps } from '../portal-deps';
import { setFlash, takeFlash } from '../session';
import { signedInPrincipal } from '../signed-in';
import { NO_ERRORS, renderFragment, renderPage, type PageErrors } from '../views';

const ACTION_FIELDS = ['notes', 'term', 'riskAssessmentRef'];

export const accountPath = (id: string) => `/accounts/${encodeURIComponent(id)}`;

/**
 * The Account page: the account's summary, its status in plain words, every action the API offers for
 * it (each through the same operation as its route) and its history (R2).
 */
export function accountPage(deps: PortalDeps): Router {
  const router = Router();

  async function show(
    res: Response,
    principal: Principal,
    id: string,
    extra: { errors?: PageErrors; values?: Record<string, unknown>; status?: number } = {},
  ) {
    const view = await readAccount(deps, principal, id);
    const history = await readHistory(deps, principal, id);
    renderPage(
      res,
      'account.njk',
      {
        nav: 'users',
        flash: await takeFlash(res),
        view,
        words: statusInWords(view, deps.policy, formatTime),
        summaryRows: summaryRows(view),
        history: historyRows(history),
        actions: accountActions(view, principal),
        errors: extra.errors ?? NO_ERRORS,
        values: extra.values ?? {},
      },
      extra.status ?? 200,
    );
  }

  router.get('/accounts/:id', async (req, res) => {
    await show(res, signedInPrincipal(res), req.params.id);
  });

  /** The status part alone, for the page's live refresh. */
  router.get('/accounts/:id/status', async (req, res) => {
    const view = await readAccount(deps, signedInPrincipal(res), req.params.id);
    const words = statusInWords(view, deps.policy, formatTime);
    res.type('html').send(renderFragment('partials/account-status.njk', { view, words }));
  });

  /**
   * An action's form: the operation, then back to the Account page with a message; a refusal or a field
   * at fault is shown on the Account page itself, in the operation's words (R4), with what was typed.
   */
  function action(
    path: string,
    run: (principal: Principal, id: string, form: Form) => Promise<string | ((res: Response) => void)>,
    section: string,
  ) {
    router.post(`/accounts/:id/${path}`, async (req: Request<{ id: string }>, res) => {
      const principal = signedInPrincipal(res);
      const form = (req.body ?? {}) as Form;
      try {
        const done = await run(principal, req.params.id, form);
        if (typeof done === 'function') return done(res);
        await setFlash(res, done);
        res.redirect(303, accountPath(req.params.id));
      } catch (err) {
        const problem = toProblem(err);
        if (!isFormProblem(problem)) throw err;
        const values = Object.fromEntries(
          ACTION_FIELDS.map((f) => [f, form[f]]).filter(([, v]) => v !== undefined),
        );
        await show(res, principal, req.params.id, {
          errors: pageErrors(problem, ACTION_FIELDS, section),
          values,
          status: problem.status,
        });
      }
    });
  }

  action(
    'notes',
    async (p, id, form) => {
      await saveNotes(deps, p, id, { notes: text(form, 'notes') });
      return 'Notes saved.';
    },
    '#notes',
  );
  action(
    'phones',
    async (p, id, form) => {
      const hidden = text(form, 'phonesHidden') === 'true';
      await changePhoneVisibility(deps, p, id, { phonesHidden: hidden });
      return hidden
        ? 'Phone numbers hidden from the NHS Directory.'
        : 'Phone numbers shown in the NHS Directory.';
    },
    '#directory-heading',
  );
  action(
    'mfa-exception',
    async (p, id, form) => {
      const view = await startMfaException(deps, p, id, {
        ...(form.term !== undefined ? { term: text(form, 'term') } : {}),
        riskAssessmentRef: text(form, 'riskAssessmentRef'),
      });
      return `MFA exception started, until ${formatTime(view.mfa.exceptionEndsAt)}.`;
    },
    '#term',
  );
  action(
    'mfa-exception/end',
    async (p, id) => {
      await stopMfaException(deps, p, id);
      return 'MFA exception ended: the account rejoined its MFA group.';
    },
    '#mfa-heading',
  );
  action(
    'leaver',
    async (p, id) => {
      const view = await markAsLeaver(deps, p, id, {});
      return `Marked as a leaver until ${formatTime(view.leaver?.windowEndsAt)}.`;
    },
    '#actions-heading',
  );
  action(
    'leaver/withdraw',
    async (p, id) => {
      await withdrawLeaverMark(deps, p, id);
      return 'Leaver mark withdrawn: the account is Active.';
    },
    '#actions-heading',
  );
  action(
    'reactivate',
    async (p, id) => {
      await reactivate(deps, p, id, {});
      return 'Account reactivated.';
    },
    '#actions-heading',
  );
  action(
    'restore',
    async (p, id) => {
      const view = await restore(deps, p, id, {});
      return `Account restored as ${view.status}.`;
    },
    '#actions-heading',
  );
  action(
    'resecure',
    async (p, id) => {
      const { temporaryPassword, account } = await resecure(deps, p, id, {});
      return (res) =>
        renderPage(res, 'new-password.njk', {
          nav: 'users',
          heading: 'Account resecured',
          view: account,
          temporaryPassword,
          warnings: account.warnings,
          explanation:
            'Every session of the user was signed out. At their next login they change this password, accept the ' +
            'Acceptable Use Policy and set their account secret again (R29).',
        });
    },
    '#actions-heading',
  );
  action(
    'retry',
    async (p, id) => {
      const retried = await retryFailedProvisioning(deps, p, id);
      return (res) =>
        renderPage(res, 'new-password.njk', {
          nav: 'users',
          heading: 'Provisioning retried',
          view: retried,
          temporaryPassword: retried.temporaryPassword,
          warnings: retried.warnings,
          explanation: 'The account is Pending again while its mailbox is created: 1 to 24 hours (R15, R16).',
        });
    },
    '#actions-heading',
  );
  return router;
}
