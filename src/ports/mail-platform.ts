/** The mail platform (accounts, mailboxes, groups, policies), behind an interface a real backend can implement. */
export interface PlatformAccount {
  accountId: string;
  email: string;
  displayName: string;
  organisationCode: string;
}

export type MailboxStatus =
  { state: 'Absent' } | { state: 'Provisioning' } | { state: 'Created'; location: string };

/**
 * Every method is idempotent: calling it again with the same arguments leaves the platform as one call
 * would (one account, one mailbox, one membership), so an activity retry is harmless.
 */
export interface MailPlatform {
  /** Creates the account and requests its mailbox, keyed by accountId; a repeat only sets the password again. */
  createAccount(account: PlatformAccount, temporaryPassword: string): Promise<void>;
  mailboxStatus(accountId: string): Promise<MailboxStatus>;
  updateAccount(accountId: string, changes: { displayName: string }): Promise<void>;
  /** Removes a partly provisioned account (R16). */
  deleteAccount(accountId: string): Promise<void>;
  beginSync(accountId: string): Promise<void>;
  syncStatus(accountId: string): Promise<{ complete: boolean }>;
  addToGroup(accountId: string, group: string): Promise<void>;
  removeFromGroup(accountId: string, group: string): Promise<void>;
  assignPolicy(accountId: string, policy: string): Promise<void>;
  disable(accountId: string, reason: string): Promise<void>;
  enable(accountId: string): Promise<void>;
}
