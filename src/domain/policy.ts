const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Every duration of the lifecycle rules, in milliseconds, passed to each workflow as input so an
 * operator can change them without a code change. The defaults are the rules' values.
 */
export interface LifecyclePolicy {
  /** R15: no mailbox poll before this long after the request. */
  mailboxFirstPollAfterMs: number;
  /** R15, R20: bounded back-off between polls, from the first interval doubling up to the cap. */
  pollIntervalMs: number;
  pollMaxIntervalMs: number;
  /** R16 */
  provisioningOverdueAfterMs: number;
  provisioningFailAfterMs: number;
  /** R20: first sync check after the AUP, and when the wait becomes overdue. */
  syncFirstPollAfterMs: number;
  syncOverdueAfterMs: number;
  /** R22 */
  shortMfaExceptionMs: number;
  longMfaExceptionMonths: number;
  /** R28: how long a leaver waits for a joiner before the account is deleted. */
  leaverWindowMs: number;
  /** R30: no sign-in for this long makes an account Inactive; this long Inactive deletes it. */
  inactiveAfterMs: number;
  deleteInactiveAfterMs: number;
  /** R32: how long a deleted account can be restored. */
  restoreWindowMs: number;
  /** R29: a resecured user not re-secured within this long is flagged, with an incident. */
  resecureWithinMs: number;
  /** Continue-as-new once the history holds this many events, if the server has not suggested it first. */
  historyEventLimit: number;
}

export const DEFAULT_POLICY: LifecyclePolicy = {
  mailboxFirstPollAfterMs: HOUR,
  pollIntervalMs: 5 * MINUTE,
  pollMaxIntervalMs: 30 * MINUTE,
  provisioningOverdueAfterMs: 24 * HOUR,
  provisioningFailAfterMs: 72 * HOUR,
  syncFirstPollAfterMs: 5 * MINUTE,
  syncOverdueAfterMs: 2 * HOUR,
  shortMfaExceptionMs: 24 * HOUR,
  longMfaExceptionMonths: 6,
  leaverWindowMs: 30 * DAY,
  inactiveAfterMs: 30 * DAY,
  deleteInactiveAfterMs: 30 * DAY,
  restoreWindowMs: 30 * DAY,
  resecureWithinMs: 30 * DAY,
  historyEventLimit: 10_000,
};

/** The wait before poll number `polls + 1` once polling has begun: doubling, never above the cap. */
export function pollBackoffMs(policy: LifecyclePolicy, polls: number): number {
  return Math.min(policy.pollIntervalMs * 2 ** Math.min(polls, 30), policy.pollMaxIntervalMs);
}
