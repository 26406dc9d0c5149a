/** The one place workflow IDs are built. */

/** An account's lifecycle: from its primary address, which is never reused. */
export function accountWorkflowId(email: string): string {
  return `account:${email.toLowerCase()}`;
}

/** The schedule that runs the reservations' reconciliation, and the prefix of each run's workflow ID. */
export const RECONCILIATION_ID = 'reconcile-reservations';
