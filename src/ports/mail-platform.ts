/** The mail platform (accounts, mailboxes, groups, policies), behind an interface a real backend can implement. */
export interface PlatformAccount {
  accountId: string;
  email: string;
  displayName: string;
  organisationCode: string;
}

export interface AccountChanges {
  displayName?: string;
  organisationCode?: string;
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
  updateAccount(accountId: string, changes: AccountChanges): Promise<void>;
  /** Removes the account, its mailbox, memberships and policy: a partly provisioned one (R16), or a deleted one (R32), restorable. */
  deleteAccount(accountId: string): Promise<void>;
  /** R32: brings a deleted account back, with its mailbox; memberships and policy are set again by the caller. */
  restoreAccount(accountId: string): Promise<void>;
  /** R29: sets a new temporary password, to be changed at the next sign-in. */
  setPassword(accountId: string, temporaryPassword: string): Promise<void>;
  /** R29: the AUP acceptance and the account secret are reset, to be done again. */
  resetAupAndSecret(accountId: string): Promise<void>;
  /** R29: every session of the account is signed out. */
  revokeSessions(accountId: string): Promise<void>;
  beginSync(accountId: string): Promise<void>;
  syncStatus(accountId: string): Promise<{ complete: boolean }>;
  addToGroup(accountId: string, group: string): Promise<void>;
  removeFromGroup(accountId: string, group: string): Promise<void>;
  assignPolicy(accountId: string, policy: string): Promise<void>;
  /** The account goes back to the national user policy (R14a, R28). */
  removePolicy(accountId: string): Promise<void>;
  /** Tells the user something (R28); sent once per key. */
  notify(accountId: string, key: string, message: string): Promise<void>;
  disable(accountId: string, reason: string): Promise<void>;
  enable(accountId: string): Promise<void>;
}
