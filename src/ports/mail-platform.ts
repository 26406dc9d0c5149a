/** The mail platform (accounts, mailboxes, groups, policies), behind an interface a real backend can implement. */
/**
 * The account as the platform holds it. The profile fields are optional: a platform that holds them (Microsoft
 * Graph) sets them; a lifecycle started before they were passed gives only the first four.
 */
export interface PlatformAccount extends PlatformProfile {
  accountId: string;
  email: string;
  displayName: string;
  organisationCode: string;
}

/** The profile fields a platform may hold besides the name; phone numbers in E.164. */
export interface PlatformProfile {
  firstName?: string;
  lastName?: string;
  jobTitle?: string;
  mobile?: string;
  telephone?: string;
  fax?: string;
  organisationName?: string;
  organisationalUnit?: string;
  site?: string;
}

/** What changed; a null clears an optional field. */
export type AccountChanges = {
  displayName?: string;
  organisationCode?: string;
} & { [K in keyof PlatformProfile]?: PlatformProfile[K] | null };

export type MailboxStatus =
  { state: 'Absent' } | { state: 'Provisioning' } | { state: 'Created'; location: string };

/**
 * The failure type of a platform call refused for good (a conflict, or a request the platform will never
 * accept): the activity fails at once, and a create that fails so fails its provisioning (R16).
 */
export const PLATFORM_REFUSED = 'PlatformRefused';

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
  /**
   * R30: the time of the account's last successful sign-in the platform knows of (ISO 8601), or null when
   * it knows of none (or no longer holds the account).
   */
  lastSignIn(accountId: string): Promise<string | null>;
  /** Tells the user something (R28); sent once per key. */
  notify(accountId: string, key: string, message: string): Promise<void>;
  disable(accountId: string, reason: string): Promise<void>;
  enable(accountId: string): Promise<void>;
}
