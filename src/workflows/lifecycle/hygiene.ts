import { patched } from '@temporalio/workflow';
import { SYSTEM, type Actor } from '../../domain/account';
import type { DeadlineKind } from '../../domain/deadlines';
import { inWords } from '../../domain/durations';
import { deletionRefusal, reactivationRefusal, restorationRefusal } from '../../domain/refusals';
import { deleteAccountUpdate, reactivateAccountUpdate, restoreAccountUpdate } from '../definitions';
import { act } from './act';
import { change, isoAt, now, record, type Lifecycle } from './context';
import { joinMfa, leaveMfa } from './mfa';
import { joinDefaultPolicy } from './provisioning';

/** R30: a sign-in restarts the inactivity clock, and makes an Inactive account Active again. */
export function signedIn(lc: Lifecycle, actor: Actor): void {
  const { state } = lc;
  const at = now();
  state.lastSignInAt = at;
  if (state.status === 'Inactive')
    return reactivate(lc, actor, 'Signed in: the account is Active again (R30)');
  if (state.status === 'Active') state.activeSince = at;
}

/** Lifecycles take up asking the platform (R30) by this patch, where their run reaches the question. */
export const ASKS_LAST_SIGN_IN = 'asks-last-sign-in';

/**
 * R30: the platform's last sign-in if it is later than `since`, asked at a deadline rather than pushed at
 * every sign-in. Not asked for an account whose user never accepted the AUP: it becomes Inactive 30 days
 * after it became Active whatever its sign-ins.
 */
async function signInSince(lc: Lifecycle, since: string | null): Promise<string | null> {
  const { state } = lc;
  if (since === null || state.sync.status === 'NotStarted' || !patched(ASKS_LAST_SIGN_IN)) return null;
  const last = await act.lastSignIn(state.id);
  return last !== null && Date.parse(last) > Date.parse(since) ? last : null;
}

/** R30: an administrator reactivates an Inactive account. */
export function reactivateAccount(lc: Lifecycle, { actor }: { actor: Actor }): void {
  reactivate(lc, actor, 'Account reactivated (R30)');
}

/** R30: the account Active again, its 30-day clock restarted, recorded as `action`. */
function reactivate(lc: Lifecycle, actor: Actor, action: string): void {
  const { state } = lc;
  state.status = 'Active';
  state.inactiveSince = null;
  state.activeSince = now();
  record(lc, actor, action);
}

/** R30, R32: inactivity, and the deletion that follows it; the end of the restore window. */
export async function hygieneDue(lc: Lifecycle, due: Set<DeadlineKind>): Promise<void> {
  const { state, policy } = lc;
  if (due.has('inactive')) {
    const last = await signInSince(lc, state.activeSince);
    if (last) {
      // The platform saw a sign-in since the clock started: the clock restarts from it.
      state.lastSignInAt = last;
      state.activeSince = new Date(Math.min(Date.parse(last), Date.now())).toISOString();
    } else {
      state.status = 'Inactive';
      state.inactiveSince = now();
      record(lc, SYSTEM, `Inactive: no sign-in for ${inWords(policy.inactiveAfterMs)} (R30)`);
    }
  }
  if (due.has('inactive-deleted')) {
    const last = await signInSince(lc, state.activeSince); // a late-reported one counts too
    if (last) {
      state.lastSignInAt = last;
      reactivate(lc, SYSTEM, `Signed in at ${last}: the account is Active again (R30)`);
    } else {
      await deleteAccount(lc, `inactive for ${inWords(policy.deleteInactiveAfterMs)} (R30)`);
    }
  }
  if (due.has('restore-window-ends')) {
    state.deletion!.closedAt = now();
    record(
      lc,
      SYSTEM,
      'Restore window ended: the account is closed for good; its address is never reused (R32, R11)',
    );
  }
}

/**
 * R32: the mailbox and the platform account are removed (restorably), the directory entry disappears, the
 * address stays retired; the lifecycle waits out the restore window.
 */
export async function deleteAccount(lc: Lifecycle, reason: string, actor: Actor = SYSTEM): Promise<void> {
  const { state, policy } = lc;
  await leaveMfa(lc, actor, 'the account was deleted');
  await act.deletePlatformAccount(state.id);
  const deletedAt = Date.now();
  state.deletion = {
    deletedAt: isoAt(deletedAt),
    restorableUntil: isoAt(deletedAt + policy.restoreWindowMs),
    reason,
    statusBefore: state.status,
    closedAt: null,
  };
  state.status = 'Deleted';
  // A mark to come and an edit held belonged to the account's life before; a restore starts without them.
  if (state.leaverDue) state.leaverDue = null;
  if (state.heldEdit) state.heldEdit = null;
  record(lc, actor, `Account deleted: ${reason} (R32)`, {
    detail: `restorable until ${state.deletion.restorableUntil}`,
  });
}

/** R32, R33: a feed deletes the account (the person left its source): restorable, as every deletion is. */
export function deleteAccountNow(lc: Lifecycle, { actor }: { actor: Actor }): Promise<void> {
  return deleteAccount(lc, `deleted by ${actor.name} (R33)`, actor);
}

/**
 * R32: a national administrator restores a deleted account within the window: same address, history kept,
 * back to the status it had, whose clock starts again.
 */
export async function restoreAccount(lc: Lifecycle, { actor }: { actor: Actor }): Promise<void> {
  const { state, policy } = lc;
  const { statusBefore } = state.deletion!;
  await act.restorePlatformAccount(state.id);
  // An account deleted before its mailbox was active (a feed's delete, R33) has no policy or group to rejoin:
  // its provisioning carries on.
  if (statusBefore !== 'Pending' && statusBefore !== 'ProvisioningFailed') {
    state.defaultPolicy = null;
    await joinDefaultPolicy(lc);
    if (state.mfa.exception === null) await joinMfa(lc);
  }
  state.deletion = null;
  state.status = statusBefore;
  const at = Date.now();
  if (statusBefore === 'Leaver')
    state.leaver = { ...state.leaver!, windowEndsAt: isoAt(at + policy.leaverWindowMs) };
  if (statusBefore === 'Inactive') state.inactiveSince = isoAt(at);
  record(lc, actor, `Account restored as ${statusBefore} (R32)`);
}

/** The changes that bring an account back: from inactivity (R30), from deletion (R32). */
export const hygieneChanges = [
  change({
    update: reactivateAccountUpdate,
    refusal: (lc) => reactivationRefusal(lc.state),
    apply: reactivateAccount,
  }),
  change({
    update: restoreAccountUpdate,
    refusal: (lc) => restorationRefusal(lc.state),
    apply: restoreAccount,
  }),
  change({
    update: deleteAccountUpdate,
    refusal: (lc) => deletionRefusal(lc.state),
    apply: deleteAccountNow,
  }),
];
