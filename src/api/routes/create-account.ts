import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import type { Directory } from '../../adapters/directory';
import type { PasswordSealer } from '../../crypto/password-sealer';
import type { NewAccount, Profile } from '../../domain/account';
import { directoryEntryOf } from '../../domain/directory-entry';
import { connectorWarning, initialState } from '../../domain/lifecycle-state';
import { snapshotOf } from '../../domain/organisation';
import type { LifecyclePolicy } from '../../domain/policy';
import { referenceData } from '../../reference/reference-data';
import { accountLifecycle } from '../../workflows';
import { takeTemporaryPassword } from '../../workflows/definitions';
import { accountWorkflowId } from '../../workflows/workflow-id';
import { duplicateProblem } from '../duplicate-answer';
import { actorOf, type Principal } from '../principals';
import { withinDeadline } from '../deadline';
import { ApiError } from '../problem';
import type { CreateAccountBody } from '../schemas/requests';

export interface CreateDeps {
  client: Client;
  directory: Directory;
  sealer: PasswordSealer;
  taskQueue: string;
  policy: LifecyclePolicy;
}

export interface Created {
  id: string;
  email: string;
  displayName: string;
  status: 'Pending';
  temporaryPassword: string | null;
  warnings: string[];
}

/** Told of the reservation, so a repeat of the request after a crash finds this account (Idempotency-Key). */
export interface CreateHooks {
  reserved?(answer: Created): void;
  released?(): void;
}

/**
 * R11, R12 and R13 in order: reserve the address after the duplicate check (one atomic step), start the
 * account's lifecycle, and collect the temporary password it set, to show once.
 */
export async function createAccount(
  deps: CreateDeps,
  principal: Principal,
  body: CreateAccountBody,
  hooks: CreateHooks = {},
): Promise<Created> {
  const org = referenceData.organisation(body.organisation)!;
  const { emailAlias, organisation: _org, notes, confirmNotDuplicate, ...fields } = body;
  const profile: Profile = {
    ...fields,
    clinicalSpecialities: fields.clinicalSpecialities ?? [],
    clinicalRoles: fields.clinicalRoles ?? [],
    workAreas: fields.workAreas ?? [],
  };
  const draft: NewAccount = {
    id: '',
    email: '',
    profile,
    organisation: snapshotOf(org),
    notes: notes ?? '',
    createdBy: actorOf(principal),
  };
  const { id: _id, email: _email, ...entry } = directoryEntryOf(initialState(draft, new Date()));
  const reserved = await deps.directory.reserve({
    entry,
    domain: emailAlias.toLowerCase(),
    confirmNotDuplicate: confirmNotDuplicate ?? false,
  });
  if (reserved.kind !== 'reserved') throw duplicateProblem(reserved, principal);
  const account: NewAccount = { ...draft, id: reserved.id, email: reserved.email };
  const warnings = [...connectorWarning(account.organisation)];
  if (!profile.mobile) {
    warnings.push('No mobile number: the user cannot complete registration until a UK mobile is added (R8).');
  }
  const base = {
    id: account.id,
    email: account.email,
    displayName: entry.displayName,
    status: 'Pending' as const,
  };
  hooks.reserved?.({ ...base, temporaryPassword: null, warnings });
  const handle = await startLifecycle(deps, account, hooks);

  try {
    return { ...base, temporaryPassword: await collectTemporaryPassword(deps, handle, account.id), warnings };
  } catch {
    warnings.push(
      'The account was created and will be provisioned, but its temporary password could not be collected ' +
        'within 30 seconds (is the worker running?), so it is not shown: reset the password once the account is Active.',
    );
    return { ...base, temporaryPassword: null, warnings };
  }
}

/** R13: the temporary password the lifecycle set, unsealed to be shown once. */
export async function collectTemporaryPassword(
  deps: Pick<CreateDeps, 'client' | 'sealer'>,
  handle: WorkflowHandle<typeof accountLifecycle>,
  accountId: string,
): Promise<string> {
  const { sealedTemporaryPassword } = await withinDeadline(deps.client, () =>
    handle.executeUpdate(takeTemporaryPassword),
  );
  return deps.sealer.unseal(sealedTemporaryPassword, accountId);
}

/**
 * Starts the account's lifecycle. The reservation is given back only when the workflow certainly does not
 * exist: after a timeout the start may have happened, and the address must then stay with it (R11).
 */
async function startLifecycle(deps: CreateDeps, account: NewAccount, hooks: CreateHooks) {
  const workflowId = accountWorkflowId(account.email);
  try {
    return await deps.client.workflow.start(accountLifecycle, {
      taskQueue: deps.taskQueue,
      workflowId,
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      args: [{ account, policy: deps.policy }],
    });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      throw new ApiError(409, 'Address in use', `A lifecycle for ${account.email} already exists.`);
    }
    const handle = deps.client.workflow.getHandle<typeof accountLifecycle>(workflowId);
    const exists = await handle.describe().then(
      () => true,
      (e: unknown) => (e instanceof WorkflowNotFoundError ? false : undefined),
    );
    if (exists) return handle;
    if (exists === false) {
      await deps.directory.release(account.id);
      hooks.released?.();
    }
    throw err;
  }
}
