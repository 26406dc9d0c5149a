import { IdempotencyKeys } from '../ports/idempotency-keys';
import type { Principal } from '../access/principals';
import { conflict } from './errors';
import { accountWorkflowId } from '../workflows/workflow-id';
import type { AccountDeps } from './account-access';
import { keyReused } from './account-change';
import { checkCreateRequest, createAccount, ReservedNotStarted, type Created } from './create-account';
import { finishPendingStart, type LifecycleHandle } from './lifecycles';
import { withTemporaryPassword } from './temporary-password';

const REPEAT_WARNING =
  'This is a repeat of an earlier request: the temporary password was shown in the first answer only (R13).';

/** The answer a repeated create gets: the first one, without the password, which is shown once (R13). */
function repeated(answer: Created): Created {
  return { ...answer, temporaryPassword: null, warnings: [...answer.warnings, REPEAT_WARNING] };
}

export interface CreateOnceOptions {
  /** Whose keys these are: the caller's by default; an organisation's for its bulk uploads (R31). */
  scope?: string;
  /** R31: the upload creating the account. */
  bulkUploadId?: string;
  /**
   * The id of the Update that takes the temporary password: a repeat with the same id gets the same
   * password back from Temporal, so a retried bulk line recovers it (Security 13).
   */
  passwordUpdateId?: string;
}

export type CreateOutcome =
  /** Created now, or finished now after a first request with the same key died (`replayed`). */
  | { kind: 'created'; created: Created; replayed: boolean }
  /** The answer the first request with this key got, as it was then (without the password). */
  | { kind: 'replay'; status: number; answer: Created }
  /** Reserved, its lifecycle to start when Temporal is back: 202, never a failure to repeat (R11). */
  | { kind: 'accepted'; answer: Created };

/**
 * A create (R1, R3-R13), made once per idempotency key: a repeat with the same key and body gets the first
 * answer without the password; a key whose first request reserved an address and died finishes that account.
 */
export async function createAccountOnce(
  deps: AccountDeps,
  principal: Principal,
  raw: unknown,
  keyOf: () => string | undefined = () => undefined,
  options: CreateOnceOptions = {},
): Promise<CreateOutcome> {
  const body = checkCreateRequest(principal, raw);
  const key = keyOf();
  const origin = { bulkUploadId: options.bulkUploadId, passwordUpdateId: options.passwordUpdateId };
  if (key === undefined) {
    try {
      return {
        kind: 'created',
        created: await createAccount(deps, principal, body, {}, origin),
        replayed: false,
      };
    } catch (err) {
      if (err instanceof ReservedNotStarted) return { kind: 'accepted', answer: err.answer };
      throw err;
    }
  }
  const scope = options.scope ?? principal.id;
  const claim = await deps.idempotency.claim(scope, key, IdempotencyKeys.hash(body));
  if (claim.state === 'replay') {
    const answer = claim.body as Created;
    if (claim.status === 201) await finishPendingStart(deps, deps.directory, answer.id);
    return { kind: 'replay', status: claim.status, answer };
  }
  if (claim.state === 'in-progress') {
    throw conflict('In progress', 'A request with this Idempotency-Key is still being processed.', {
      retryAfterSeconds: 5,
    });
  }
  if (claim.state === 'mismatch') throw keyReused();
  const { claimId } = claim;
  let created: Created;
  try {
    created = claim.account
      ? await finishCreate(deps, claim.account as Created, options.passwordUpdateId)
      : await createAccount(
          deps,
          principal,
          body,
          { reserved: (answer) => deps.idempotency.reserved(scope, key, claimId, answer) },
          origin,
        );
  } catch (err) {
    // The account stays noted with the key: a repeat finishes its start and shows the password.
    await deps.idempotency.release(scope, key, claimId);
    if (err instanceof ReservedNotStarted) return { kind: 'accepted', answer: err.answer };
    throw err;
  }
  await deps.idempotency.complete(scope, key, claimId, 201, repeated(created));
  return { kind: 'created', created, replayed: !!claim.account };
}

/**
 * The first request with this key reserved the account and then ended without an answer: its lifecycle
 * is started if it is not yet, and its password shown if nobody has seen it.
 */
async function finishCreate(
  deps: AccountDeps,
  reserved: Created,
  passwordUpdateId?: string,
): Promise<Created> {
  try {
    await finishPendingStart(deps, deps.directory, reserved.id);
  } catch (err) {
    throw new ReservedNotStarted(reserved, { cause: err });
  }
  const handle: LifecycleHandle = deps.client.workflow.getHandle(accountWorkflowId(reserved.id));
  return withTemporaryPassword(deps, handle, reserved, undefined, passwordUpdateId);
}
