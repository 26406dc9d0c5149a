import type { Directory, ReservationResult } from '../ports/directory';
import type { NewAccount } from '../domain/account';
import { directoryEntryOf } from '../domain/directory-entry';
import { initialState } from '../domain/lifecycle-state';
import type { LifecyclePolicy } from '../domain/policy';
import {
  startLifecycle,
  startLifecycleTakingPassword,
  type LifecycleHandle,
  type Lifecycles,
  type PasswordAtStart,
  type StartRecord,
} from './lifecycles';

export interface OpenAccountDeps extends Lifecycles {
  directory: Directory;
  policy: LifecyclePolicy;
}

export type AccountDraft = Omit<NewAccount, 'id' | 'email'>;

export type Opening =
  | {
      kind: 'opened';
      account: NewAccount;
      handle: LifecycleHandle;
      /** With `takePassword`: what the start learnt of the temporary password. */
      password?: PasswordAtStart;
    }
  | Exclude<ReservationResult, { kind: 'reserved' }>;

/** The address is reserved but the lifecycle could not be started now; reconciliation will start it. */
export class LifecycleNotStarted extends Error {
  constructor(
    readonly account: NewAccount,
    cause: unknown,
  ) {
    super(`The lifecycle of ${account.email} could not be started now`, { cause });
  }
}

/**
 * R11, R12: the duplicate check and the address in one atomic reservation, which also records how to
 * start the lifecycle; then the start. The one way an account comes into being, for the API, the portal
 * and the tests.
 */
export async function openAccount(
  deps: OpenAccountDeps,
  draft: AccountDraft,
  options: {
    domain: string;
    confirmNotDuplicate: boolean;
    reserved?: (account: NewAccount) => void | Promise<void>;
    /** Take the temporary password in the same round trip as the start (R13). */
    takePassword?: boolean;
    /** The id of that Update: a repeat with it gets the same password back (Security 13). */
    passwordUpdateId?: string;
  },
): Promise<Opening> {
  const {
    id: _id,
    email: _email,
    ...entry
  } = directoryEntryOf(initialState({ ...draft, id: '', email: '' }, new Date()));
  const pendingStart: StartRecord = { account: draft, policy: deps.policy };
  const reserved = await deps.directory.reserve({
    entry,
    domain: options.domain.toLowerCase(),
    confirmNotDuplicate: options.confirmNotDuplicate,
    pendingStart,
  });
  if (reserved.kind !== 'reserved') return reserved;
  const account: NewAccount = { ...draft, id: reserved.id, email: reserved.email };
  await options.reserved?.(account);
  let started: { handle: LifecycleHandle; password?: PasswordAtStart };
  try {
    started = options.takePassword
      ? await startLifecycleTakingPassword(deps, account, deps.policy, options.passwordUpdateId)
      : await startLifecycle(deps, account, deps.policy);
  } catch (err) {
    throw new LifecycleNotStarted(account, err);
  }
  // Best effort: if this is lost, reconciliation finds the lifecycle running and forgets the record.
  await deps.directory.lifecycleStarted(account.id).catch(() => undefined);
  return { kind: 'opened', account, handle: started.handle, password: started.password };
}
