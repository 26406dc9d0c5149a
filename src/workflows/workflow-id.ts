/** The one place a lifecycle's workflow ID is built: from the account's primary address, which is never reused. */
export function accountWorkflowId(email: string): string {
  return `account:${email.toLowerCase()}`;
}
