/** The one place workflow IDs are built. */

/** An account's lifecycle: from its primary address, which is never reused. */
export function accountWorkflowId(email: string): string {
  return `account:${email.toLowerCase()}`;
}

/** The schedule that runs the reservations' reconciliation, and the prefix of each run's workflow ID. */
export const RECONCILIATION_ID = 'reconcile-reservations';

/** R31: an organisation's bulk upload; one at a time per organisation, as parallel uploads make duplicates. */
export function bulkUploadWorkflowId(organisation: string): string {
  return `bulk-upload:${organisation}`;
}
