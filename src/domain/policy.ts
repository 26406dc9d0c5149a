const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

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
  historyEventLimit: 10_000,
};

/** The wait before poll number `polls + 1` once polling has begun: doubling, never above the cap. */
export function pollBackoffMs(policy: LifecyclePolicy, polls: number): number {
  return Math.min(policy.pollIntervalMs * 2 ** Math.min(polls, 30), policy.pollMaxIntervalMs);
}
