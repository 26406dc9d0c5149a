import { DEFAULT_POLICY, type LifecyclePolicy } from '../../src/domain/policy';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/**
 * The README's demonstration durations (a mailbox in 20 seconds, a one-minute MFA exception), with the
 * provisioning's and the sync's overdue times brought down to match, as a demonstration runs them.
 */
export const DEMO_POLICY: LifecyclePolicy = {
  ...DEFAULT_POLICY,
  mailboxFirstPollAfterMs: 10 * SECOND,
  pollIntervalMs: 5 * SECOND,
  pollMaxIntervalMs: 10 * SECOND,
  provisioningOverdueAfterMs: 2 * MINUTE,
  provisioningFailAfterMs: 10 * MINUTE,
  syncFirstPollAfterMs: 5 * SECOND,
  syncOverdueAfterMs: 2 * MINUTE,
  shortMfaExceptionMs: MINUTE,
};

/** The README's demonstration of the simulated platform: a mailbox in 20 seconds, the sync in 15. */
export const DEMO_SIMULATION = { mailboxDelayMs: 20 * SECOND, syncDelayMs: 15 * SECOND };
