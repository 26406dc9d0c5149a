import { Router, type Request, type Response } from 'express';
import type { AccountDeps } from '../../../operations/account-access';
import type { ChangeOptions } from '../../../operations/account-change';
import { saveNotes } from '../../../operations/account-notes';
import { acceptAsJoiner } from '../../../operations/accept-joiner';
import { createAccountOnce } from '../../../operations/create-account-once';
import type { Created } from '../../../operations/create-account';
import { editAccount } from '../../../operations/edit-account';
import { markAsLeaver, withdrawLeaverMark } from '../../../operations/leaver-mark';
import { startMfaException, stopMfaException } from '../../../operations/mfa-exceptions';
import { changePhoneVisibility } from '../../../operations/phone-visibility';
import { reactivate } from '../../../operations/reactivate-account';
import { readAccount, readHistory } from '../../../operations/read-account';
import { reportEvent } from '../../../operations/report-identity-event';
import { resecure } from '../../../operations/resecure-account';
import { restore } from '../../../operations/restore-account';
import { retryFailedProvisioning } from '../../../operations/retry-provisioning';
import { searchAccounts } from '../../../operations/search-accounts';
import { principalOf } from '../authenticate';
import { IdempotencyKeys } from '../../../ports/idempotency-keys';
import { badRequest } from '../../problem';
import { reply } from '../reply';
import { IDEMPOTENCY_KEY } from '../../../operations/schemas/requests';
import {
  accountView,
  accountWithPassword,
  created as createdAnswer,
  directoryPage,
  history,
  identityEventAnswer,
  resecured,
} from '../schemas/responses';

export type AccountRoutesDeps = AccountDeps;

function sendCreated(res: Response, created: Created, replayed: boolean, status = 201): void {
  if (replayed) res.set('Idempotent-Replayed', 'true');
  res.location(`/v1/accounts/${encodeURIComponent(created.id)}`);
  reply(res, createdAnswer, created, status);
}

/** The request's Idempotency-Key, if it has one, checked. */
function idempotencyKeyOf(req: Request): string | undefined {
  const key = req.get('Idempotency-Key');
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    throw badRequest([
      { path: 'Idempotency-Key', message: 'Idempotency-Key must be 1 to 200 visible characters' },
    ]);
  }
  return key;
}

/** A change's Idempotency-Key, bound to this request (method, path and body). */
function changeOptions(req: Request): ChangeOptions {
  return {
    idempotency: () => {
      const key = idempotencyKeyOf(req);
      if (key === undefined) return undefined;
      return {
        key,
        requestHash: IdempotencyKeys.hash({ method: req.method, path: req.originalUrl, body: req.body }),
      };
    },
  };
}

/** /v1/accounts: each route hands its request to the account operation of the same name. */
export function accountRoutes(deps: AccountRoutesDeps): Router {
  const router = Router();
  const who = principalOf;

  router.post('/', async (req, res) => {
    const outcome = await createAccountOnce(deps, who(res), req.body, () => idempotencyKeyOf(req));
    if (outcome.kind === 'replay') {
      sendCreated(res, outcome.answer, true, outcome.status);
      return;
    }
    sendCreated(res, outcome.created, outcome.replayed);
  });

  router.get('/', async (req, res) => {
    const page = await searchAccounts(deps.directory, who(res), req.query);
    reply(res, directoryPage, { items: page.entries, nextCursor: page.nextCursor });
  });

  router.get('/:id', async (req, res) => {
    reply(res, accountView, await readAccount(deps, who(res), req.params.id));
  });

  router.patch('/:id', async (req, res) => {
    reply(res, accountView, await editAccount(deps, who(res), req.params.id, req.body, changeOptions(req)));
  });

  router.put('/:id/notes', async (req, res) => {
    reply(res, accountView, await saveNotes(deps, who(res), req.params.id, req.body, changeOptions(req)));
  });

  router.post('/:id/mfa-exceptions', async (req, res) => {
    const view = await startMfaException(deps, who(res), req.params.id, req.body, changeOptions(req));
    reply(res, accountView, view, 201);
  });

  router.delete('/:id/mfa-exceptions/current', async (req, res) => {
    reply(res, accountView, await stopMfaException(deps, who(res), req.params.id, changeOptions(req)));
  });

  router.post('/:id/events', async (req, res) => {
    reply(
      res,
      identityEventAnswer,
      await reportEvent(deps, who(res), req.params.id, req.body, changeOptions(req)),
    );
  });

  router.put('/:id/directory-visibility', async (req, res) => {
    reply(
      res,
      accountView,
      await changePhoneVisibility(deps, who(res), req.params.id, req.body, changeOptions(req)),
    );
  });

  router.get('/:id/history', async (req, res) => {
    reply(res, history, { items: await readHistory(deps, who(res), req.params.id) });
  });

  router.post('/:id/provisioning-retries', async (req, res) => {
    const retried = await retryFailedProvisioning(deps, who(res), req.params.id, changeOptions(req));
    reply(res, accountWithPassword, retried, 201);
  });

  router.post('/:id/leaver', async (req, res) => {
    reply(res, accountView, await markAsLeaver(deps, who(res), req.params.id, req.body, changeOptions(req)));
  });

  router.delete('/:id/leaver', async (req, res) => {
    reply(res, accountView, await withdrawLeaverMark(deps, who(res), req.params.id, changeOptions(req)));
  });

  router.post('/:id/joiner', async (req, res) => {
    reply(
      res,
      accountView,
      await acceptAsJoiner(deps, who(res), req.params.id, req.body, changeOptions(req)),
    );
  });

  router.post('/:id/resecure', async (req, res) => {
    reply(res, resecured, await resecure(deps, who(res), req.params.id, req.body, changeOptions(req)));
  });

  router.post('/:id/reactivation', async (req, res) => {
    reply(res, accountView, await reactivate(deps, who(res), req.params.id, req.body, changeOptions(req)));
  });

  router.post('/:id/restoration', async (req, res) => {
    reply(res, accountView, await restore(deps, who(res), req.params.id, req.body, changeOptions(req)));
  });

  return router;
}
