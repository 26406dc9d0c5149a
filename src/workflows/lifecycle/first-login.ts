import { SYSTEM, type Actor } from '../../domain/account';
import type { DeadlineKind } from '../../domain/deadlines';
import { inWords } from '../../domain/durations';
import { reportedPhone, type IdentityEvent } from '../../domain/identity-events';
import { pollBackoffMs } from '../../domain/policy';
import { act } from './act';
import { isoAt, now, record, type Lifecycle } from './context';

/** R18, R7, R8, R20: a first-login step the identity platform reports. */
export async function reportIdentityEvent(
  lc: Lifecycle,
  { actor, event }: { actor: Actor; event: IdentityEvent },
): Promise<void> {
  const { state } = lc;
  const phone = reportedPhone(event);
  if (phone && !phone.uk) return disableForNonUkNumber(lc, actor, event);
  if (event.type === 'ProfileUpdated' && phone && phone.e164 !== state.profile.mobile) {
    record(lc, actor, 'Mobile number updated by the user', {
      changes: { mobile: { from: state.profile.mobile ?? null, to: phone.e164 } },
    });
    state.profile = { ...state.profile, mobile: phone.e164 };
  }
  if (state.gates[event.type] !== null) return;
  state.gates[event.type] = now();
  record(lc, actor, `${event.type} reported`, event.type === 'MfaRegistered' ? { detail: event.method } : {});
  if (event.type === 'AupAccepted') await startSync(lc);
}

/** R7: a non-UK number registered by the user disables the account until an administrator sets a UK mobile. */
async function disableForNonUkNumber(lc: Lifecycle, actor: Actor, event: IdentityEvent): Promise<void> {
  const { state } = lc;
  await act.disableAccount(state.id, 'NonUkMobile');
  state.status = 'Disabled';
  state.disabledReason = 'NonUkMobile';
  record(lc, actor, 'Account disabled: a non-UK phone number was registered (R7)', { detail: event.type });
}

/** R20: after the AUP the platform syncs; the lifecycle waits for it. */
async function startSync(lc: Lifecycle): Promise<void> {
  await act.beginSync(lc.state.id);
  const started = Date.now();
  lc.state.sync = {
    status: 'Waiting',
    startedAt: isoAt(started),
    completedAt: null,
    polls: 0,
    nextPollAt: isoAt(started + lc.policy.syncFirstPollAfterMs),
    overdue: false,
    incidentId: null,
  };
}

/** R20: polls the sync, and at its deadline marks it overdue with an incident. */
export async function syncDue(lc: Lifecycle, due: Set<DeadlineKind>): Promise<void> {
  if (due.has('sync-overdue')) await markSyncOverdue(lc);
  if (due.has('sync-poll')) await pollSync(lc);
}

async function pollSync(lc: Lifecycle): Promise<void> {
  const s = lc.state.sync;
  const { complete } = await act.syncStatus(lc.state.id);
  s.polls += 1;
  if (!complete) {
    s.nextPollAt = isoAt(Date.now() + pollBackoffMs(lc.policy, s.polls - 1));
    return;
  }
  s.status = 'Complete';
  s.completedAt = now();
  s.nextPollAt = null;
  record(lc, SYSTEM, 'Platform sync complete');
  if (s.incidentId) {
    await act.updateIncident(s.incidentId, {
      noteKey: 'complete',
      note: `Sync completed at ${s.completedAt}.`,
      status: 'Resolved',
    });
  }
}

async function markSyncOverdue(lc: Lifecycle): Promise<void> {
  const { state, policy } = lc;
  const s = state.sync;
  s.incidentId = await act.raiseIncident({
    key: `${state.id}/sync`,
    accountId: state.id,
    kind: 'SyncOverdue',
    summary:
      `The platform sync of ${state.email} is not complete ${inWords(policy.syncOverdueAfterMs)} after the ` +
      `AUP was accepted at ${s.startedAt}.`,
  });
  s.overdue = true;
  record(lc, SYSTEM, 'Sync overdue: incident raised', { detail: s.incidentId });
}
