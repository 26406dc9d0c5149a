import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { PasswordSealer } from '../crypto/password-sealer';
import type { AccountView } from '../domain/lifecycle-state';
import { withinDeadline } from '../temporal/deadline';
import type { accountLifecycle } from '../workflows/account-lifecycle';
import { takeTemporaryPasswordUpdate } from '../workflows/definitions';
import type { Lifecycles, PasswordAtStart } from './lifecycles';

type PasswordDeps = Pick<Lifecycles, 'client'> & { sealer: PasswordSealer };
type Handle = WorkflowHandle<typeof accountLifecycle>;

/** An answer that shows a temporary password once (R13), or none, with the warnings saying why not. */
export interface WithPassword {
  temporaryPassword: string | null;
  warnings: string[];
}

const SHOWN_BEFORE = 'The temporary password was shown in an earlier answer and is shown once only (R13).';

const NOT_NOW =
  'The temporary password could not be collected now (is the worker running?), so it is not shown: ' +
  'once the account is Active, resecure it (POST /v1/accounts/{id}/resecure) to issue a new one (R29).';

/**
 * The answer with the temporary password the lifecycle set, or without it and a warning saying why; what
 * the start already learnt of it (`atStart`) is used, or else it is collected now.
 */
export async function withTemporaryPassword<T extends WithPassword & { id: string }>(
  deps: PasswordDeps,
  handle: Handle,
  answer: T,
  atStart: PasswordAtStart = { kind: 'unknown' },
  updateId?: string,
): Promise<T> {
  const warn = (warning: string): T => ({ ...answer, warnings: [...answer.warnings, warning] });
  if (atStart.kind === 'taken') {
    return { ...answer, temporaryPassword: deps.sealer.unseal(atStart.sealed, answer.id) };
  }
  if (atStart.kind === 'shown-before') return warn(SHOWN_BEFORE);
  if (atStart.kind === 'not-now') return warn(NOT_NOW);
  try {
    return {
      ...answer,
      temporaryPassword: await collectTemporaryPassword(deps, handle, answer.id, updateId),
    };
  } catch (err) {
    return warn(err instanceof WorkflowUpdateFailedError ? SHOWN_BEFORE : NOT_NOW);
  }
}

/**
 * R13: the temporary password the lifecycle set, unsealed to be shown once. With `updateId`, a repeat of
 * the same Update: Temporal answers it with the first one's outcome, the same password.
 */
export async function collectTemporaryPassword(
  deps: PasswordDeps,
  handle: Handle,
  accountId: string,
  updateId?: string,
): Promise<string> {
  const { sealedTemporaryPassword } = await withinDeadline(deps.client, () =>
    handle.executeUpdate(takeTemporaryPasswordUpdate, updateId ? { updateId } : {}),
  );
  return deps.sealer.unseal(sealedTemporaryPassword, accountId);
}

/** The account with the temporary password its lifecycle just issued (R13, R16, R29), shown once. */
export async function withNewPassword(
  deps: PasswordDeps,
  target: { id: string; handle: Handle },
  view: AccountView,
): Promise<AccountView & WithPassword> {
  const { temporaryPassword, warnings } = await withTemporaryPassword(deps, target.handle, {
    id: target.id,
    temporaryPassword: null,
    warnings: view.warnings,
  });
  return { ...view, temporaryPassword, warnings };
}
