import type { Client, WorkflowHandle } from '@temporalio/client';
import { Router, type Request, type Response } from 'express';
import type { Directory } from '../../adapters/directory';
import type { PasswordSealer } from '../../crypto/password-sealer';
import type { ProfileChanges } from '../../domain/account';
import type { IdentityEvent } from '../../domain/identity-events';
import type { LifecyclePolicy } from '../../domain/policy';
import { referenceData } from '../../reference/reference-data';
import type { accountLifecycle } from '../../workflows';
import {
  editAttributes,
  endMfaException,
  getAccount,
  getAuditTrail,
  reportIdentityEvent,
  requestMfaException,
  retryProvisioning,
  setNotes,
  setPhoneVisibility,
} from '../../workflows/definitions';
import { accountWorkflowId } from '../../workflows/workflow-id';
import { ADMINS, principalOf, requireKind } from '../authenticate';
import { withinDeadline } from '../deadline';
import { IdempotencyKeys } from '../idempotency';
import { identityEventAnswer } from '../identity-event-answer';
import { actorOf, administers, type Principal } from '../principals';
import { ApiError, badRequest, forbidden, notFound, type FieldError } from '../problem';
import {
  accountId,
  checkUnitAndSite,
  createAccountBody,
  directoryVisibilityBody,
  editAccountBody,
  identityEventBody,
  listAccountsQuery,
  mfaExceptionBody,
  notesBody,
} from '../schemas/requests';
import { parseOrReject } from '../validation';
import { collectTemporaryPassword, createAccount, type Created } from './create-account';

export interface AccountRoutesDeps {
  client: Client;
  directory: Directory;
  sealer: PasswordSealer;
  idempotency: IdempotencyKeys;
  taskQueue: string;
  policy: LifecyclePolicy;
}

type Handle = WorkflowHandle<typeof accountLifecycle>;

/** The answer a repeated create gets: the first one, without the password, which is shown once (R13). */
function repeated(answer: Created): Created {
  return {
    ...answer,
    temporaryPassword: null,
    warnings: [
      ...answer.warnings,
      'This is a repeat of an earlier request: the temporary password was shown in the first answer only (R13).',
    ],
  };
}

function sendCreated(res: Response, created: Created): void {
  res
    .status(201)
    .location(`/v1/accounts/${encodeURIComponent(created.id)}`)
    .json(created);
}

/** /v1/accounts: each route authorises, validates, and hands the rest to the account's lifecycle. */
export function accountRoutes(deps: AccountRoutesDeps): Router {
  const router = Router();

  const soon = <T>(call: () => Promise<T>) => withinDeadline(deps.client, call);

  /** R1: the account, if the caller may act on it; 404 for no such account, 403 for another organisation's. */
  async function account(req: Request, res: Response, kinds: readonly Principal['kind'][]) {
    const principal = principalOf(res);
    requireKind(principal, kinds);
    const parsed = accountId.safeParse(req.params.id);
    const id = parsed.success ? parsed.data.toLowerCase() : undefined;
    const organisation = id ? await deps.directory.organisationOf(id) : undefined;
    if (!id || !organisation) throw notFound(`No account ${req.params.id}.`);
    if (principal.kind !== 'identity-platform' && !administers(principal, organisation)) {
      throw forbidden(`You do not administer accounts of ${organisation}.`);
    }
    const handle: Handle = deps.client.workflow.getHandle(accountWorkflowId(id));
    return { id, organisation, handle, actor: actorOf(principal) };
  }

  router.post('/', async (req, res) => {
    const principal = principalOf(res);
    requireKind(principal, ADMINS);
    const raw = req.body as { organisation?: unknown } | undefined;
    if (
      typeof raw?.organisation === 'string' &&
      referenceData.organisation(raw.organisation) &&
      !administers(principal, raw.organisation)
    ) {
      throw forbidden(`You do not administer ${raw.organisation}: nothing was created (R1).`);
    }
    const body = parseOrReject(createAccountBody, raw);
    const key = req.get('Idempotency-Key');
    if (key === undefined) {
      const created = await createAccount(deps, principal, body);
      sendCreated(res, created);
      return;
    }
    if (!/^[\x21-\x7e]{1,200}$/.test(key)) {
      throw badRequest([
        { path: 'Idempotency-Key', message: 'Idempotency-Key must be 1 to 200 visible characters' },
      ]);
    }
    const claim = deps.idempotency.claim(principal.id, key, IdempotencyKeys.hash(body));
    if (claim.state === 'replay') {
      res.status(claim.status).set('Idempotent-Replayed', 'true').json(claim.body);
      return;
    }
    if (claim.state === 'in-progress') {
      throw new ApiError(409, 'In progress', 'A request with this Idempotency-Key is still being processed.');
    }
    if (claim.state === 'mismatch') {
      throw new ApiError(
        422,
        'Idempotency-Key reused',
        'This Idempotency-Key was used for a different request.',
      );
    }
    const { claimId } = claim;
    if (claim.account) {
      // The first request reserved this account and then died: answer with it rather than make another.
      const answer = repeated(claim.account as Created);
      deps.idempotency.complete(principal.id, key, claimId, 201, answer);
      res.status(201).set('Idempotent-Replayed', 'true').json(answer);
      return;
    }
    let created: Created;
    try {
      created = await createAccount(deps, principal, body, {
        reserved: (answer) => deps.idempotency.reserved(principal.id, key, claimId, answer),
        released: () => deps.idempotency.reserved(principal.id, key, claimId, null),
      });
    } catch (err) {
      deps.idempotency.release(principal.id, key, claimId);
      throw err;
    }
    deps.idempotency.complete(principal.id, key, claimId, 201, repeated(created));
    sendCreated(res, created);
  });

  router.get('/', async (req, res) => {
    const principal = principalOf(res);
    requireKind(principal, ADMINS);
    const query = parseOrReject(listAccountsQuery, req.query);
    let organisations: string[] | undefined;
    if (principal.kind === 'local-admin') {
      if (query.org && !administers(principal, query.org)) {
        throw forbidden(`You do not administer accounts of ${query.org}.`);
      }
      organisations = principal.orgs;
    }
    const page = await deps.directory.search({
      organisations,
      organisation: query.org,
      q: query.q,
      status: query.status,
      role: query.role,
      cursor: query.cursor,
      limit: query.limit,
    });
    res.json({ items: page.entries, nextCursor: page.nextCursor });
  });

  router.get('/:id', async (req, res) => {
    const { handle } = await account(req, res, ADMINS);
    res.json(await soon(() => handle.query(getAccount)));
  });

  router.patch('/:id', async (req, res) => {
    const { handle, organisation, actor } = await account(req, res, ADMINS);
    const body = parseOrReject(editAccountBody, req.body);
    const errors: FieldError[] = [];
    checkUnitAndSite(organisation, body, {
      addIssue: (i) => errors.push({ path: i.path.join('.'), message: i.message }),
    });
    if (errors.length > 0) throw badRequest(errors);
    const changes: ProfileChanges = body;
    res.json(await soon(() => handle.executeUpdate(editAttributes, { args: [{ actor, changes }] })));
  });

  router.put('/:id/notes', async (req, res) => {
    const { handle, actor } = await account(req, res, ADMINS);
    const { notes } = parseOrReject(notesBody, req.body);
    res.json(await soon(() => handle.executeUpdate(setNotes, { args: [{ actor, notes }] })));
  });

  router.post('/:id/mfa-exceptions', async (req, res) => {
    const { handle, actor } = await account(req, res, ADMINS);
    const { term, riskAssessmentRef } = parseOrReject(mfaExceptionBody, req.body);
    res
      .status(201)
      .json(
        await soon(() =>
          handle.executeUpdate(requestMfaException, { args: [{ actor, term, riskAssessmentRef }] }),
        ),
      );
  });

  router.delete('/:id/mfa-exceptions/current', async (req, res) => {
    const { handle, actor } = await account(req, res, ADMINS);
    res.json(await soon(() => handle.executeUpdate(endMfaException, { args: [{ actor }] })));
  });

  router.post('/:id/events', async (req, res) => {
    const { handle, actor } = await account(req, res, ['identity-platform']);
    const body = parseOrReject(identityEventBody, req.body);
    const event: IdentityEvent =
      body.type === 'MfaRegistered'
        ? { type: body.type, method: body.method, ...(body.phoneNumber ? { phone: body.phoneNumber } : {}) }
        : body.type === 'ProfileUpdated'
          ? { type: body.type, ...(body.mobile ? { mobile: body.mobile } : {}) }
          : { type: body.type };
    const view = await soon(() => handle.executeUpdate(reportIdentityEvent, { args: [{ actor, event }] }));
    res.json(identityEventAnswer(event.type, view));
  });

  router.put('/:id/directory-visibility', async (req, res) => {
    const { handle, actor } = await account(req, res, ADMINS);
    const { phonesHidden } = parseOrReject(directoryVisibilityBody, req.body);
    res.json(
      await soon(() => handle.executeUpdate(setPhoneVisibility, { args: [{ actor, hidden: phonesHidden }] })),
    );
  });

  router.get('/:id/history', async (req, res) => {
    const { handle } = await account(req, res, ADMINS);
    res.json({ items: await soon(() => handle.query(getAuditTrail)) });
  });

  router.post('/:id/provisioning-retries', async (req, res) => {
    const { handle, actor, id } = await account(req, res, ADMINS);
    const view = await soon(() => handle.executeUpdate(retryProvisioning, { args: [{ actor }] }));
    res.status(201).json({ ...view, temporaryPassword: await collectTemporaryPassword(deps, handle, id) });
  });

  return router;
}
