import type { AccountState } from './lifecycle-state';
import type { LifecyclePolicy } from './policy';

/** Every timed rule of a lifecycle, by what falls due. */
export const DEADLINE_KINDS = [
  'mailbox-poll',
  'provisioning-overdue',
  'provisioning-fails',
  'sync-poll',
  'sync-overdue',
  'mfa-exception-ends',
  'resecure-overdue',
  'leaver-window-ends',
  'inactive',
  'inactive-deleted',
  'restore-window-ends',
  'leaver-mark-due',
] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

/** What each deadline is, in the words an operator reads in Temporal Web. */
export const DEADLINE_SUMMARY: Record<DeadlineKind, string> = {
  'mailbox-poll': 'mailbox poll',
  'provisioning-overdue': 'provisioning overdue (R16)',
  'provisioning-fails': 'provisioning fails (R16)',
  'sync-poll': 'sync poll',
  'sync-overdue': 'sync overdue (R20)',
  'mfa-exception-ends': 'MFA exception ends (R24)',
  'resecure-overdue': 'resecure overdue (R29)',
  'leaver-window-ends': 'leaver window ends (R28)',
  inactive: 'inactive without a sign-in (R30)',
  'inactive-deleted': 'inactive account deleted (R30, R32)',
  'restore-window-ends': 'restore window ends (R32)',
  'leaver-mark-due': 'future-dated leaver mark (R28)',
};

export type Deadlines = Partial<Record<DeadlineKind, number>>;

/**
 * The one statement of which timers an account has now and when each falls due (epoch milliseconds):
 * the lifecycle sleeps to the earliest and runs what is due; the account's view shows the same times.
 */
export function deadlinesOf(state: AccountState, policy: LifecyclePolicy): Deadlines {
  const deadlines: Deadlines = {};
  const p = state.provisioning;
  if (state.status === 'Pending' && p.requestedAt) {
    const requested = Date.parse(p.requestedAt);
    deadlines['mailbox-poll'] = Date.parse(p.nextPollAt!);
    if (!p.overdue) deadlines['provisioning-overdue'] = requested + policy.provisioningOverdueAfterMs;
    deadlines['provisioning-fails'] = requested + policy.provisioningFailAfterMs;
  }
  const s = state.sync;
  if (s.status === 'Waiting') {
    deadlines['sync-poll'] = Date.parse(s.nextPollAt!);
    if (!s.overdue) deadlines['sync-overdue'] = Date.parse(s.startedAt!) + policy.syncOverdueAfterMs;
  }
  if (state.mfa.exception) deadlines['mfa-exception-ends'] = Date.parse(state.mfa.exception.endsAt);
  const r = state.resecure;
  if (r && !r.overdue) deadlines['resecure-overdue'] = Date.parse(r.requestedAt) + policy.resecureWithinMs;
  if (state.status === 'Leaver') deadlines['leaver-window-ends'] = Date.parse(state.leaver!.windowEndsAt);
  if (state.status === 'Active' && state.activeSince) {
    deadlines.inactive = Date.parse(state.activeSince) + policy.inactiveAfterMs;
  }
  if (state.status === 'Inactive') {
    deadlines['inactive-deleted'] = Date.parse(state.inactiveSince!) + policy.deleteInactiveAfterMs;
  }
  const due = state.leaverDue;
  // R28: marked on its date, or at once when asked while Pending; only an Active account is marked, so the
  // mark waits while the account is anything else.
  if (due && state.status === 'Active') deadlines['leaver-mark-due'] = Date.parse(due.on ?? due.requestedAt);
  const d = state.deletion;
  if (state.status === 'Deleted' && !d!.closedAt)
    deadlines['restore-window-ends'] = Date.parse(d!.restorableUntil);
  return deadlines;
}

/** The kinds due at `now`. */
export function dueAt(deadlines: Deadlines, now: number): Set<DeadlineKind> {
  return new Set(DEADLINE_KINDS.filter((k) => deadlines[k] !== undefined && deadlines[k] <= now));
}

/** The earliest deadline, if there is one. */
export function earliest(deadlines: Deadlines): { kind: DeadlineKind; at: number } | undefined {
  let first: { kind: DeadlineKind; at: number } | undefined;
  for (const kind of DEADLINE_KINDS) {
    const at = deadlines[kind];
    if (at !== undefined && (!first || at < first.at)) first = { kind, at };
  }
  return first;
}
