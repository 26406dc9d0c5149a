import crypto from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { ApplicationFailure, UpdateDefinition } from '@temporalio/common';
import { Router, type Request, type Response } from 'express';
import type { Directory, Located } from '../../ports/directory';
import type { PasswordSealer } from '../../crypto/password-sealer';
import type { ProfileChanges } from '../../domain/account';
import type { IdentityEvent } from '../../domain/identity-events';
import type { AccountView } from '../../domain/lifecycle-state';
import type { LifecyclePolicy } from '../../domain/policy';
import { finishPendingStart, type LifecycleHandle, type Lifecycles } from '../../operations/lifecycles';
import { snapshotOf } from '../../domain/organisation';
import { referenceData } from '../../reference/reference-data';
import {
  editAttributes,
  endMfaException,
  getAccount,
  getAuditTrail,
  reportIdentityEvent,
  requestMfaException,
  acceptJoiner,
  markLeaver,
  reactivateAccount,
  resecureAccount,
  restoreAccount,
  retryProvisioning,
  setNotes,
  setPhoneVisibility,
  withdrawLeaver,
  UNCHANGED,
} from '../../workflows/definitions';
import { accountWorkflowId } from '../../workflows/workflow-id';
import { ADMINS, principalOf, requireKind } from '../authenticate';
import { withinDeadline } from '../deadline';
import { IdempotencyKeys } from '../../ports/idempotency-keys';
import { identityEventAnswer } from '../identity-event-answer';
import { actorOf, administers, type Principal } from '../principals';
import { ApiError, badRequest, forbidden, notFound, type FieldError } from '../problem';
import {
  accountId,
  checkUnitAndSite,
  createAccountBody,
  directoryVisibilityBody,
  editAccountBody,
  emptyBody,
  identityEventBody,
  joinerBody,
  listAccountsQuery,
  mfaExceptionBody,
  notesBody,
} from '../schemas/requests';
import { parseOrReject } from '../validation';
import { createAccount, withTemporaryPassword, type Created } from './create-account';

export interface AccountRoutesDeps extends Lifecycles {
  directory: Directory;
  sealer: PasswordSealer;
  idempotency: IdempotencyKeys;
  policy: LifecyclePolicy;
}

const REPEAT_WARNING =
  'This is a repeat of an earlier request: the temporary password was shown in the first answer only (R13).';

/** The answer a repeated create gets: the first one, without the password, which is shown once (R13). */
function repeated(answer: Created): Created {
  return { ...answer, temporaryPassword: null, warnings: [...answer.warnings, REPEAT_WARNING] };
}

function sendCreated(res: Response, created: Created, replayed = false): void {
  if (replayed) res.set('Idempotent-Replayed', 'true');
  res
    .status(201)
    .location(`/v1/accounts/${encodeURIComponent(created.id)}`)
    .json(created);
}

/** The request's Idempotency-Key, if it has one, checked. */
function idempotencyKeyOf(req: Request): string | undefined {
  const key = req.get('Idempotency-Key');
  if (key !== undefined && !/^[\x21-\x7e]{1,200}$/.test(key)) {
    throw badRequest([
      { path: 'Idempotency-Key', message: 'Idempotency-Key must be 1 to 200 visible characters' },
    ]);
  }
  return key;
}

const closedForGood = () =>
  new ApiError(
    409,
    'Closed',
    'The account was deleted and its restore window has ended: it is closed for good, and nothing can change ' +
      'it (R32). Its address is never given to another account (R11).',
  );

const keyReused = () =>
  new ApiError(422, 'Idempotency-Key reused', 'This Idempotency-Key was used for a different request.');

/** /v1/accounts: each route authorises, validates, and hands the rest to the account's lifecycle. */
export function accountRoutes(deps: AccountRoutesDeps): Router {
  const router = Router();

  const soon = <T>(call: () => Promise<T>) => withinDeadline(deps.client, call);

  /**
   * R1: the account, if the caller may act on it; 404 for no such account, 403 for another organisation's
   * (unless `alsoFor` lets the caller in, as a leaver is for the administrators who may accept it).
   * A reservation whose lifecycle a crash kept from starting gets it started here.
   */
  async function account(
    req: Request,
    res: Response,
    kinds: readonly Principal['kind'][],
    alsoFor: (located: Located) => boolean = () => false,
  ) {
    const principal = principalOf(res);
    requireKind(principal, kinds);
    const parsed = accountId.safeParse(req.params.id);
    const id = parsed.success ? parsed.data.toLowerCase() : undefined;
    const located = id ? await deps.directory.locate(id) : undefined;
    if (!id || !located) throw notFound(`No account ${req.params.id}.`);
    const { organisation } = located;
    if (
      principal.kind !== 'identity-platform' &&
      !administers(principal, organisation) &&
      !alsoFor(located)
    ) {
      throw forbidden(`You do not administer accounts of ${organisation}.`);
    }
    if (located.lifecyclePending) await finishPendingStart(deps, deps.directory, id);
    const handle: LifecycleHandle = deps.client.workflow.getHandle(accountWorkflowId(id));
    return { id, organisation, handle, actor: actorOf(principal), principal };
  }

  /**
   * Runs a change through the account's lifecycle. With an Idempotency-Key, the key (for this caller and
   * this request) is the Temporal Update ID, so a repeat is deduplicated by Temporal and answered alike.
   */
  async function change<Res, Req>(
    req: Request,
    target: { handle: LifecycleHandle; principal: Principal },
    definition: UpdateDefinition<Res, [Req]>,
    request: Req,
  ): Promise<Res> {
    const key = idempotencyKeyOf(req);
    let updateId: string | undefined;
    if (key !== undefined) {
      const requestHash = IdempotencyKeys.hash({ method: req.method, path: req.originalUrl, body: req.body });
      if ((await deps.idempotency.bindUpdate(target.principal.id, key, requestHash)) === 'mismatch')
        throw keyReused();
      updateId = `idempotency-key:${crypto.createHash('sha256').update(`${target.principal.id}\n${key}`).digest('hex')}`;
    }
    try {
      return await soon(() => target.handle.executeUpdate(definition, { args: [request], updateId }));
    } catch (err) {
      // The directory knows the account but its lifecycle has ended: deleted, and its restore window over.
      if (err instanceof WorkflowNotFoundError) throw closedForGood();
      // Turned away because it would change nothing (a second sign-in in a day, R30): the account as it is.
      if (err instanceof WorkflowUpdateFailedError && (err.cause as ApplicationFailure)?.type === UNCHANGED) {
        return (await soon(() => target.handle.query(getAccount))) as Res;
      }
      throw err;
    }
  }

  /** The account with the temporary password its lifecycle just issued (R13, R16, R29), shown once. */
  async function withNewPassword(target: { id: string; handle: LifecycleHandle }, view: AccountView) {
    const { temporaryPassword, warnings } = await withTemporaryPassword(deps, target.handle, {
      id: target.id,
      email: view.email,
      displayName: view.displayName,
      status: 'Pending',
      temporaryPassword: null,
      warnings: view.warnings,
    });
    return { ...view, temporaryPassword, warnings };
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
    const key = idempotencyKeyOf(req);
    if (key === undefined) {
      sendCreated(res, await createAccount(deps, principal, body));
      return;
    }
    const claim = await deps.idempotency.claim(principal.id, key, IdempotencyKeys.hash(body));
    if (claim.state === 'replay') {
      const answer = claim.body as Created;
      if (claim.status === 201) await finishPendingStart(deps, deps.directory, answer.id);
      res.status(claim.status).set('Idempotent-Replayed', 'true').json(answer);
      return;
    }
    if (claim.state === 'in-progress') {
      res.set('Retry-After', '5');
      throw new ApiError(409, 'In progress', 'A request with this Idempotency-Key is still being processed.');
    }
    if (claim.state === 'mismatch') throw keyReused();
    const { claimId } = claim;
    let created: Created;
    try {
      created = claim.account
        ? await finishCreate(claim.account as Created)
        : await createAccount(deps, principal, body, {
            reserved: (answer) => deps.idempotency.reserved(principal.id, key, claimId, answer),
          });
    } catch (err) {
      await deps.idempotency.release(principal.id, key, claimId);
      throw err;
    }
    await deps.idempotency.complete(principal.id, key, claimId, 201, repeated(created));
    sendCreated(res, created, !!claim.account);
  });

  /**
   * The first request with this key reserved the account and then ended without an answer: its lifecycle
   * is started if it is not yet, and its password shown if nobody has seen it.
   */
  async function finishCreate(reserved: Created): Promise<Created> {
    await finishPendingStart(deps, deps.directory, reserved.id);
    const handle: LifecycleHandle = deps.client.workflow.getHandle(accountWorkflowId(reserved.id));
    return withTemporaryPassword(deps, handle, reserved);
  }

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
    const target = await account(req, res, ADMINS);
    const body = parseOrReject(editAccountBody, req.body);
    const errors: FieldError[] = [];
    checkUnitAndSite(target.organisation, body, {
      addIssue: (i) => errors.push({ path: i.path.join('.'), message: i.message }),
    });
    if (errors.length > 0) throw badRequest(errors);
    const changes: ProfileChanges = body;
    res.json(await change(req, target, editAttributes, { actor: target.actor, changes }));
  });

  router.put('/:id/notes', async (req, res) => {
    const target = await account(req, res, ADMINS);
    const { notes } = parseOrReject(notesBody, req.body);
    res.json(await change(req, target, setNotes, { actor: target.actor, notes }));
  });

  router.post('/:id/mfa-exceptions', async (req, res) => {
    const target = await account(req, res, ADMINS);
    const { term, riskAssessmentRef } = parseOrReject(mfaExceptionBody, req.body);
    const view = await change(req, target, requestMfaException, {
      actor: target.actor,
      term,
      riskAssessmentRef,
    });
    res.status(201).json(view);
  });

  router.delete('/:id/mfa-exceptions/current', async (req, res) => {
    const target = await account(req, res, ADMINS);
    res.json(await change(req, target, endMfaException, { actor: target.actor }));
  });

  router.post('/:id/events', async (req, res) => {
    const target = await account(req, res, ['identity-platform']);
    const body = parseOrReject(identityEventBody, req.body);
    const event: IdentityEvent =
      body.type === 'MfaRegistered'
        ? { type: body.type, method: body.method, ...(body.phoneNumber ? { phone: body.phoneNumber } : {}) }
        : body.type === 'ProfileUpdated'
          ? { type: body.type, ...(body.mobile ? { mobile: body.mobile } : {}) }
          : { type: body.type };
    const view = await change(req, target, reportIdentityEvent, { actor: target.actor, event });
    res.json(identityEventAnswer(event.type, view));
  });

  router.put('/:id/directory-visibility', async (req, res) => {
    const target = await account(req, res, ADMINS);
    const { phonesHidden } = parseOrReject(directoryVisibilityBody, req.body);
    res.json(await change(req, target, setPhoneVisibility, { actor: target.actor, hidden: phonesHidden }));
  });

  router.get('/:id/history', async (req, res) => {
    const { handle } = await account(req, res, ADMINS);
    res.json({ items: await soon(() => handle.query(getAuditTrail)) });
  });

  router.post('/:id/provisioning-retries', async (req, res) => {
    const target = await account(req, res, ADMINS);
    const view = await change(req, target, retryProvisioning, { actor: target.actor });
    res.status(201).json(await withNewPassword(target, view));
  });

  router.post('/:id/leaver', async (req, res) => {
    const target = await account(req, res, ADMINS);
    parseOrReject(emptyBody, req.body ?? {});
    res.json(await change(req, target, markLeaver, { actor: target.actor }));
  });

  router.delete('/:id/leaver', async (req, res) => {
    const target = await account(req, res, ADMINS);
    res.json(await change(req, target, withdrawLeaver, { actor: target.actor }));
  });

  router.post('/:id/joiner', async (req, res) => {
    // R28: any administrator may reach a leaver; the one who accepts it must administer the receiving organisation.
    const target = await account(req, res, ADMINS, (located) => located.status === 'Leaver');
    const { organisation: code, ...changes } = parseOrReject(joinerBody, req.body);
    if (!administers(target.principal, code)) {
      throw forbidden(
        `You do not administer ${code}: only its administrators can accept a joiner into it (R28).`,
      );
    }
    const organisation = snapshotOf(referenceData.organisation(code)!);
    res.json(await change(req, target, acceptJoiner, { actor: target.actor, organisation, changes }));
  });

  router.post('/:id/resecure', async (req, res) => {
    const target = await account(req, res, ADMINS);
    parseOrReject(emptyBody, req.body ?? {});
    const view = await change(req, target, resecureAccount, { actor: target.actor });
    const { temporaryPassword, ...resecured } = await withNewPassword(target, view);
    res.json({ temporaryPassword, account: resecured });
  });

  router.post('/:id/reactivation', async (req, res) => {
    const target = await account(req, res, ADMINS);
    parseOrReject(emptyBody, req.body ?? {});
    res.json(await change(req, target, reactivateAccount, { actor: target.actor }));
  });

  router.post('/:id/restoration', async (req, res) => {
    const target = await account(req, res, ['national-admin']);
    parseOrReject(emptyBody, req.body ?? {});
    res.json(await change(req, target, restoreAccount, { actor: target.actor }));
  });

  return router;
}
