import { inWords, monthsInWords, rangeInWords } from './durations';
import type { LifecyclePolicy } from './policy';

/** The durations administrators are told, in words, from the policy in force (a demonstration's or the rules'). */
export interface PolicyInWords {
  /** How long a new account is Pending while its mailbox is created: from the first check to overdue. */
  pendingWait: string;
  /** No mailbox is looked for before this. */
  firstMailboxCheck: string;
  /** A mailbox not ready after this is overdue, with an incident. */
  provisioningOverdue: string;
  /** The platform sync after the AUP is overdue after this. */
  syncOverdue: string;
  shortMfaException: string;
  longMfaException: string;
  /** How long a leaver waits for a joiner. */
  leaverWindow: string;
}

/** Every duration a page or a message states, from the policy the engine runs with. */
export function policyInWords(policy: LifecyclePolicy): PolicyInWords {
  return {
    pendingWait: rangeInWords(policy.mailboxFirstPollAfterMs, policy.provisioningOverdueAfterMs),
    firstMailboxCheck: inWords(policy.mailboxFirstPollAfterMs),
    provisioningOverdue: inWords(policy.provisioningOverdueAfterMs),
    syncOverdue: inWords(policy.syncOverdueAfterMs),
    shortMfaException: inWords(policy.shortMfaExceptionMs),
    longMfaException: monthsInWords(policy.longMfaExceptionMonths),
    leaverWindow: inWords(policy.leaverWindowMs),
  };
}
