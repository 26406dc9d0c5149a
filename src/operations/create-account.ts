import type { Directory } from '../ports/directory';
import type { PasswordSealer } from '../crypto/password-sealer';
import type { NewAccount, Profile } from '../domain/account';
import { displayName } from '../domain/display-name';
import { connectorWarning } from '../domain/lifecycle-state';
import { snapshotOf } from '../domain/organisation';
import type { LifecyclePolicy } from '../domain/policy';
import { ADMINS } from '../access/rights';
import { requireKind } from './caller';
import { duplicateConflict } from './duplicate-conflict';
import { actorOf, type Principal } from '../access/principals';
import { administers } from '../access/rights';
import { forbidden } from './errors';
import { createAccountBody, type CreateAccountBody } from './schemas/requests';
import { parseOrReject } from './validation';
import { referenceData } from '../reference/reference-data';
import type { Lifecycles } from './lifecycles';
import { LifecycleNotStarted, openAccount, type AccountDraft } from './open-account';
import { withTemporaryPassword } from './temporary-password';

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

/**
 * R1 before R4: an administrator, creating in an organisation they administer (403 and nothing created
 * otherwise), with a body that passes every field's check (400 naming each field at fault).
 */
export function checkCreateRequest(principal: Principal, raw: unknown): CreateAccountBody {
  requireKind(principal, ADMINS);
  const organisation = (raw as { organisation?: unknown } | undefined)?.organisation;
  if (
    typeof organisation === 'string' &&
    referenceData.organisation(organisation) &&
    !administers(principal, organisation)
  ) {
    throw forbidden(`You do not administer ${organisation}: nothing was created (R1).`);
  }
  return parseOrReject(createAccountBody, raw);
}

/** Told of the reservation, so a repeat of the request after a crash finds this account (Idempotency-Key). */
export interface CreateHooks {
  reserved?(answer: Created): void | Promise<void>;
}

/**
 * R11, R12 and R13 in order: reserve the address after the duplicate check (one atomic step), start the
 * account's lifecycle and collect the temporary password it set (one round trip: Update-with-Start), to show once.
 */
export async function createAccount(
  deps: CreateDeps,
  principal: Principal,
  body: CreateAccountBody,
  hooks: CreateHooks = {},
  origin: { bulkUploadId?: string; passwordUpdateId?: string } = {},
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
    ...(origin.bulkUploadId ? { bulkUploadId: origin.bulkUploadId } : {}),
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
      takePassword: true,
      passwordUpdateId: origin.passwordUpdateId,
    });
  } catch (err) {
    if (err instanceof LifecycleNotStarted)
      throw new ReservedNotStarted(answerFor(err.account), { cause: err });
    throw err;
  }
  if (opening.kind !== 'opened') throw duplicateConflict(opening, principal);
  const created = answerFor(opening.account);
  return withTemporaryPassword(deps, opening.handle, created, opening.password, origin.passwordUpdateId);
}

const STARTING =
  'The account is reserved but Temporal did not answer, so its lifecycle is not started yet: it starts by ' +
  'itself as soon as Temporal is back (within minutes). Do not create it again. Its temporary password is ' +
  'shown once by a repeat of this request with the same Idempotency-Key; without a key, resecure the account ' +
  'once it is Active (R29).';

/**
 * The address is reserved for this account, but Temporal did not answer the start: the account exists, and
 * its lifecycle starts as soon as Temporal is back (reconciliation). A success, not a failure to repeat.
 */
export class ReservedNotStarted extends Error {
  readonly answer: Created;
  constructor(reserved: Created, options?: ErrorOptions) {
    super(`The lifecycle of ${reserved.email} is not started yet`, options);
    this.answer = { ...reserved, temporaryPassword: null, warnings: [...reserved.warnings, STARTING] };
  }
}
