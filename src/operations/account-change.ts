import crypto from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { withinDeadline } from '../temporal/deadline';
import type { IdempotencyKeys } from '../ports/idempotency-keys';
import { conflict, OperationError } from './errors';
import { refusalRule } from '../metrics/refusal-rule';
import { getAccountQuery, REFUSED, UNCHANGED } from '../workflows/definitions';
import type { AccountTarget } from './account-access';
import type { Lifecycles } from './lifecycles';

/**
 * A change made with an idempotency key: the caller's key and a hash of the request it was first used for,
 * read once the caller and the request have passed their checks (so those errors come first).
 */
export interface ChangeOptions {
  idempotency?: () => { key: string; requestHash: string } | undefined;
}

export const closedForGood = () =>
  conflict(
    'closed',
    'Closed',
    'The account was deleted and its restore window has ended: it is closed for good, and nothing can change ' +
      'it (R32). Its address is never given to another account (R11).',
  );

export const keyReused = () =>
  new OperationError(
    'key-reused',
    'Idempotency-Key reused',
    'This Idempotency-Key was used for a different request.',
  );

/**
 * Runs a change through the account's lifecycle. With an idempotency key, the key (for this caller and
 * this request) is the Temporal Update ID, so a repeat is deduplicated by Temporal and answered alike.
 */
export async function applyChange<Res, Req>(
  deps: Lifecycles & { idempotency: IdempotencyKeys },
  target: Pick<AccountTarget, 'handle' | 'principal'>,
  definition: UpdateDefinition<Res, [Req]>,
  request: Req,
  options: ChangeOptions = {},
): Promise<Res> {
  const soon = <T>(call: () => Promise<T>) => withinDeadline(deps.client, call);
  let updateId: string | undefined;
  const idempotency = options.idempotency?.();
  if (idempotency) {
    const { key, requestHash } = idempotency;
    if ((await deps.idempotency.bindUpdate(target.principal.id, key, requestHash)) === 'mismatch')
      throw keyReused();
    updateId = `idempotency-key:${crypto.createHash('sha256').update(`${target.principal.id}\n${key}`).digest('hex')}`;
  }
  try {
    return await soon(() => target.handle.executeUpdate(definition, { args: [request], updateId }));
  } catch (err) {
    const refusal = lifecycleRefusal(err);
    if (refusal) throw refusal;
    // The directory knows the account but its lifecycle has ended: deleted, and its restore window over.
    if (err instanceof WorkflowNotFoundError) throw closedForGood();
    // Turned away because it would change nothing (a second sign-in in a day, R30): the account as it is.
    if (err instanceof WorkflowUpdateFailedError && (err.cause as ApplicationFailure)?.type === UNCHANGED) {
      return (await soon(() => target.handle.query(getAccountQuery))) as Res;
    }
    throw err;
  }
}

/** The lifecycle's refusal of a change (its Update failed as Refused), as the operation's error. */
function lifecycleRefusal(err: unknown): OperationError | undefined {
  if (!(err instanceof WorkflowUpdateFailedError)) return undefined;
  const cause = err.cause;
  if (!(cause instanceof ApplicationFailure) || cause.type !== REFUSED) return undefined;
  const missing = (cause.details?.[0] as { missing?: string[] } | undefined)?.missing ?? [];
  return new OperationError('refused', 'Refused', cause.message, {
    extra: missing.length ? { missing } : {},
    rule: refusalRule(cause.message),
  });
}
