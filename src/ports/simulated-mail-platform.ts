import type { MailPlatform } from './mail-platform';

export interface SimulationSettings {
  /** How long after the request a mailbox becomes active; null: never (to exercise R16). */
  mailboxDelayMs: number | null;
  /** How long after the AUP the platform sync completes; null: never (to exercise R20). */
  syncDelayMs: number | null;
}

export interface PlatformOperation {
  at: string;
  accountId: string;
  operation: string;
  detail: string | null;
}

/** What the simulated platform holds for one account. */
export interface PlatformInspection {
  exists: boolean;
  organisationCode: string | null;
  enabled: boolean;
  disabledReason: string | null;
  groups: string[];
  policy: string | null;
  passwordMatches(password: string): boolean;
}

/**
 * A stand-in for the mail platform, for the embedded run, the tests and a multi-host demonstration:
 * mailboxes that take `settings.mailboxDelayMs` to provision, a sync that takes `settings.syncDelayMs`,
 * groups and policies; every call recorded with the time it happened.
 */
export interface SimulatedMailPlatform extends MailPlatform {
  /** Read at each call, so a test may change them as it goes. */
  settings: SimulationSettings;
  /** R30: the user signs in; the platform records the time, as a real one does, and says it when asked. */
  signIn(accountId: string, at?: Date): Promise<void>;
  /** What the platform holds, for tests and for an operator looking at the simulation. */
  inspect(accountId: string): Promise<PlatformInspection>;
  /** The calls made for this account (of this operation only, if given), in order. */
  operations(accountId: string, operation?: string): Promise<PlatformOperation[]>;
}
