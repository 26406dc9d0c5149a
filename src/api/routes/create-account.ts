import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { Directory } from '../../ports/directory';
import type { PasswordSealer } from '../../crypto/password-sealer';
import type { NewAccount, Profile } from '../../domain/account';
import { displayName } from '../../domain/display-name';
import { connectorWarning } from '../../domain/lifecycle-state';
import { snapshotOf } from '../../domain/organisation';
import type { LifecyclePolicy } from '../../domain/policy';
import type { Lifecycles } from '../../operations/lifecycles';
import { LifecycleNotStarted, openAccount, type AccountDraft } from '../../operations/open-account';
import { referenceData } from '../../reference/reference-data';
import type { accountLifecycle } from '../../workflows';
import { takeTemporaryPassword } from '../../workflows/definitions';
import { duplicateProblem } from '../duplicate-answer';
import { withinDeadline } from '../deadline';
import { actorOf, type Principal } from '../principals';
import { ApiError } from '../problem';
import type { CreateAccountBody } from '../schemas/requests';

export interface CreateDeps extends Lifecycles {
  directory: Directory;
  sealer: PasswordSealer;
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
  reserved?(answer: Created): void | Promise<void>;
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
  const draft: AccountDraft = {
    profile,
    organisation: snapshotOf(org),
    notes: notes ?? '',
    createdBy: actorOf(principal),
  };
  const warnings = [...connectorWarning(draft.organisation)];
  if (!profile.mobile) {
    warnings.push('No mobile number: the user cannot complete registration until a UK mobile is added (R8).');
  }
  const answerFor = (account: NewAccount): Created => ({
    id: account.id,
    email: account.email,
    displayName: displayName(profile.firstName, profile.lastName),
    status: 'Pending',
    temporaryPassword: null,
    warnings,
  });

  let opening;
  try {
    opening = await openAccount(deps, draft, {
      domain: emailAlias,
      confirmNotDuplicate: confirmNotDuplicate ?? false,
      reserved: (account) => hooks.reserved?.(answerFor(account)),
    });
  } catch (err) {
    if (err instanceof LifecycleNotStarted) throw notStartedYet(err.account);
    throw err;
  }
  if (opening.kind !== 'opened') throw duplicateProblem(opening, principal);
  const created = answerFor(opening.account);
  return withTemporaryPassword(deps, opening.handle, created);
}

/** The answer with the temporary password the lifecycle set, or without it and a warning saying why. */
export async function withTemporaryPassword(
  deps: Pick<CreateDeps, 'client' | 'sealer'>,
  handle: WorkflowHandle<typeof accountLifecycle>,
  created: Created,
): Promise<Created> {
  try {
    return { ...created, temporaryPassword: await collectTemporaryPassword(deps, handle, created.id) };
  } catch (err) {
    const warning =
      err instanceof WorkflowUpdateFailedError
        ? 'The temporary password was shown in an earlier answer and is shown once only (R13).'
        : 'The temporary password could not be collected now (is the worker running?), so it is not shown: ' +
          'once the account is Active, resecure it (POST /v1/accounts/{id}/resecure) to issue a new one (R29).';
    return { ...created, warnings: [...created.warnings, warning] };
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

function notStartedYet(account: NewAccount): ApiError {
  return new ApiError(
    503,
    'Service unavailable',
    `The address ${account.email} is reserved for this account, but its lifecycle could not be started now ` +
      '(Temporal did not answer). It will be started automatically within minutes. Repeat the request with the ' +
      'same Idempotency-Key to get its answer and temporary password; a repeat without one finds the account ' +
      'as a duplicate.',
    undefined,
    { id: account.id, email: account.email },
  );
}
