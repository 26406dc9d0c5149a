import { SYSTEM, type Actor } from '../../domain/account';
import type { DeadlineKind } from '../../domain/deadlines';
import { inWords } from '../../domain/durations';
import { describePhone, reportedPhone, type GateEvent, type GateName } from '../../domain/identity-events';
import { pollBackoffMs } from '../../domain/policy';
import { identityEventRefusal, resecureRefusal } from '../../domain/refusals';
import {
  reportIdentityEventUpdate,
  resecureAccountUpdate,
  type ReportIdentityEventRequest,
} from '../definitions';
import { act } from './act';
import { change, isoAt, now, record, type Lifecycle } from './context';
import { signedIn } from './hygiene';

/** R18, R7, R30: what the identity platform reports: a first-login step, or a sign-in. */
export async function reportIdentityEvent(
  lc: Lifecycle,
  { actor, event }: ReportIdentityEventRequest,
): Promise<void> {
  if (event.type === 'SignedIn') signedIn(lc, actor);
  else await reportGateEvent(lc, actor, event);
}

/** R18, R7, R8, R20: a first-login step the identity platform reports. */
async function reportGateEvent(lc: Lifecycle, actor: Actor, event: GateEvent): Promise<void> {
  const { state } = lc;
  const phone = reportedPhone(event);
  if (phone && !phone.uk) return disableForNonUkNumber(lc, actor, event, describePhone(phone));
  if (event.type === 'ProfileUpdated' && phone && phone.e164 !== state.profile.mobile) {
    record(lc, actor, 'Mobile number updated by the user', {
      changes: { mobile: { from: state.profile.mobile ?? null, to: phone.e164 } },
    });
    state.profile = { ...state.profile, mobile: phone.e164 };
  }
  if (state.gates[event.type] !== null) return;
  state.gates[event.type] = now();
  record(lc, actor, `${event.type} reported`, event.type === 'MfaRegistered' ? { detail: event.method } : {});
  // The sync follows the first acceptance of the AUP only; one after a resecure (R29) needs none.
  if (event.type === 'AupAccepted' && state.sync.status === 'NotStarted') await startSync(lc);
  if (state.resecure && RESECURED.every((g) => state.gates[g] !== null)) await resecured(lc, actor);
}

/** R29: the gates a resecure opens again. */
const RESECURED: GateName[] = ['PasswordChanged', 'AupAccepted', 'SecretSet'];

/**
 * R29: a new temporary password (shown once, R13), the AUP acceptance and the account secret reset, every
 * session revoked; the user passes the first three gates again before mail works.
 */
export async function resecureAccount(lc: Lifecycle, { actor }: { actor: Actor }): Promise<void> {
  const { state } = lc;
  const { sealedTemporaryPassword } = await act.resetPassword(state.id);
  await act.resetAupAndSecret(state.id);
  await act.revokeSessions(state.id);
  lc.password.sealed = sealedTemporaryPassword;
  lc.password.toShow = true;
  for (const gate of RESECURED) state.gates[gate] = null;
  state.resecure = {
    requestedAt: now(),
    requestedBy: actor,
    overdue: false,
    incidentId: state.resecure?.incidentId ?? null,
  };
  record(
    lc,
    actor,
    'Account resecured: new temporary password, AUP acceptance and account secret reset, every session signed out (R29)',
  );
}

/** The changes of first login: the identity platform's events (R18), an administrator's resecure (R29). */
export const firstLoginChanges = [
  change({
    update: reportIdentityEventUpdate,
    refusal: (lc, { event }) => identityEventRefusal(lc.state, event),
    apply: reportIdentityEvent,
  }),
  change({
    update: resecureAccountUpdate,
    refusal: (lc) => resecureRefusal(lc.state, lc.policy),
    apply: resecureAccount,
  }),
];

async function resecured(lc: Lifecycle, actor: Actor): Promise<void> {
  const { state } = lc;
  const incidentId = state.resecure!.incidentId;
  state.resecure = null;
  record(lc, actor, 'The user re-secured the account (R29)');
  if (incidentId) {
    await act.updateIncident(incidentId, {
      noteKey: `resecured/${now()}`,
      note: `Re-secured at ${now()}.`,
      status: 'Resolved',
    });
  }
}

/** R29: a resecure not completed in time is flagged, with an incident. */
export async function resecureDue(lc: Lifecycle, due: Set<DeadlineKind>): Promise<void> {
  if (!due.has('resecure-overdue')) return;
  const { state, policy } = lc;
  const r = state.resecure!;
  r.incidentId = await act.raiseIncident({
    key: `${state.id}/resecure/${r.requestedAt}`,
    accountId: state.id,
    kind: 'ResecureOverdue',
    summary:
      `The user of ${state.email} has not re-secured the account ${inWords(policy.resecureWithinMs)} after the ` +
      `resecure at ${r.requestedAt}.`,
  });
  r.overdue = true;
  record(lc, SYSTEM, 'Resecure overdue: incident raised (R29)', { detail: r.incidentId });
}

/** R7: a non-UK number registered by the user disables the account until an administrator sets a UK mobile. */
async function disableForNonUkNumber(
  lc: Lifecycle,
  actor: Actor,
  event: GateEvent,
  what: string,
): Promise<void> {
  const { state } = lc;
  await act.disableAccount(state.id, 'NonUkMobile');
  state.status = 'Disabled';
  state.disabledReason = 'NonUkMobile';
  state.disabledBecause = what;
  record(lc, actor, `Account disabled: the user registered ${what}, not a UK number (R7)`, {
    detail: event.type,
  });
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
