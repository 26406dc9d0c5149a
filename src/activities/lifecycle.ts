import type { Directory, DirectoryEntry } from '../ports/directory';
import type { IncidentKind, Incidents } from '../ports/incidents';
import type { AccountChanges, MailboxStatus, MailPlatform, PlatformAccount } from '../ports/mail-platform';
import type { PasswordSealer } from '../crypto/password-sealer';
import { generateTemporaryPassword } from './temporary-password';

export interface LifecycleActivityDeps {
  platform: MailPlatform;
  directory: Directory;
  incidents: Incidents;
  sealer: PasswordSealer;
}

/**
 * Every side effect of a lifecycle. Each activity is idempotent, because each adapter call is: a retry
 * leaves one account, one mailbox, one membership and one incident.
 */
export function createLifecycleActivities({ platform, directory, incidents, sealer }: LifecycleActivityDeps) {
  return {
    /** R13: generates the temporary password, sets it on the new account, and returns it sealed. */
    async createPlatformAccount(account: PlatformAccount): Promise<{ sealedTemporaryPassword: string }> {
      const password = generateTemporaryPassword();
      await platform.createAccount(account, password);
      return { sealedTemporaryPassword: sealer.seal(password, account.accountId) };
    },
    mailboxStatus(accountId: string): Promise<MailboxStatus> {
      return platform.mailboxStatus(accountId);
    },
    updatePlatformAccount(accountId: string, changes: AccountChanges): Promise<void> {
      return platform.updateAccount(accountId, changes);
    },
    deletePlatformAccount(accountId: string): Promise<void> {
      return platform.deleteAccount(accountId);
    },
    restorePlatformAccount(accountId: string): Promise<void> {
      return platform.restoreAccount(accountId);
    },
    /** R29, R13: a new temporary password set on the account, returned sealed. */
    async resetPassword(accountId: string): Promise<{ sealedTemporaryPassword: string }> {
      const password = generateTemporaryPassword();
      await platform.setPassword(accountId, password);
      return { sealedTemporaryPassword: sealer.seal(password, accountId) };
    },
    resetAupAndSecret(accountId: string): Promise<void> {
      return platform.resetAupAndSecret(accountId);
    },
    revokeSessions(accountId: string): Promise<void> {
      return platform.revokeSessions(accountId);
    },
    removePolicy(accountId: string): Promise<void> {
      return platform.removePolicy(accountId);
    },
    /** R30: the last sign-in the platform knows of. */
    lastSignIn(accountId: string): Promise<string | null> {
      return platform.lastSignIn(accountId);
    },
    notifyUser(accountId: string, key: string, message: string): Promise<void> {
      return platform.notify(accountId, key, message);
    },
    beginSync(accountId: string): Promise<void> {
      return platform.beginSync(accountId);
    },
    syncStatus(accountId: string): Promise<{ complete: boolean }> {
      return platform.syncStatus(accountId);
    },
    addToGroup(accountId: string, group: string): Promise<void> {
      return platform.addToGroup(accountId, group);
    },
    removeFromGroup(accountId: string, group: string): Promise<void> {
      return platform.removeFromGroup(accountId, group);
    },
    assignPolicy(accountId: string, policy: string): Promise<void> {
      return platform.assignPolicy(accountId, policy);
    },
    disableAccount(accountId: string, reason: string): Promise<void> {
      return platform.disable(accountId, reason);
    },
    enableAccount(accountId: string): Promise<void> {
      return platform.enable(accountId);
    },
    publishDirectoryEntry(entry: DirectoryEntry): Promise<void> {
      return directory.upsert(entry);
    },
    raiseIncident(incident: {
      key: string;
      accountId: string;
      kind: IncidentKind;
      summary: string;
    }): Promise<string> {
      return incidents.raise(incident);
    },
    updateIncident(
      id: string,
      change: { noteKey: string; note: string; status: 'Open' | 'Resolved' },
    ): Promise<void> {
      return incidents.update(id, change);
    },
  };
}

export type LifecycleActivities = ReturnType<typeof createLifecycleActivities>;
