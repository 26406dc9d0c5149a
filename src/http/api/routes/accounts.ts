import { Router, type Request, type Response } from 'express';
import type { AccountDeps } from '../../../operations/account-access';
import type { ChangeOptions } from '../../../operations/account-change';
import { CHANGE_ROWS } from '../../../operations/account-changes';
import { createAccountOnce } from '../../../operations/create-account-once';
import type { Created } from '../../../operations/create-account';
import { makeChange } from '../../../operations/make-change';
import { readAccount, readHistory } from '../../../operations/read-account';
import { searchAccounts } from '../../../operations/search-accounts';
import { IdempotencyKeys } from '../../../ports/idempotency-keys';
import { IDEMPOTENCY_KEY } from '../../../operations/schemas/requests';
import { badRequest } from '../../problem';
import { principalOf } from '../../request-principal';
import { reply } from '../reply';
import {
  accountView,
  changeAnswers,
  created as createdAnswer,
  directoryPage,
  history,
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

/** /v1/accounts: the create, the reads, and a route for each change of the table, each through its operation. */
export function accountRoutes(deps: AccountRoutesDeps): Router {
  const router = Router();
  const who = principalOf;

  router.post('/', async (req, res) => {
    const outcome = await createAccountOnce(deps, who(res), req.body, () => idempotencyKeyOf(req));
    if (outcome.kind === 'replay') sendCreated(res, outcome.answer, true, outcome.status);
    else if (outcome.kind === 'accepted') sendCreated(res, outcome.answer, false, 202);
    else sendCreated(res, outcome.created, outcome.replayed);
  });

  router.get('/', async (req, res) => {
    const page = await searchAccounts(deps.directory, who(res), req.query);
    reply(res, directoryPage, { items: page.entries, nextCursor: page.nextCursor });
  });

  router.get('/:id', async (req, res) => {
    reply(res, accountView, await readAccount(deps, who(res), req.params.id));
  });

  router.get('/:id/history', async (req, res) => {
    reply(res, history, { items: await readHistory(deps, who(res), req.params.id) });
  });

  // Every change to an account, as the table has it (src/operations/account-changes.ts).
  for (const [name, change] of CHANGE_ROWS) {
    router[change.http.method](`/:id${change.http.path}`, async (req: Request<{ id: string }>, res) => {
      const answer = await makeChange(deps, who(res), name, req.params.id, req.body, changeOptions(req));
      reply(res, changeAnswers[change.answer.kind], answer as never, change.http.status);
    });
  }

  return router;
}
