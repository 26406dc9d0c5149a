import type { AccountChanges, MailboxStatus, PlatformAccount } from '../../ports/mail-platform';
import type {
  PlatformInspection,
  PlatformOperation,
  SimulatedMailPlatform,
  SimulationSettings,
} from '../../ports/simulated-mail-platform';
import {
  hashPassword,
  simulatedMailbox,
  simulatedSyncComplete,
  updateDetail,
  verifyPassword,
} from '../simulation';
import type { Db } from './database';

/** The simulated mail platform in SQLite, so that it survives restarts. Every call is recorded by `clock`. */
export class SqliteSimulatedMailPlatform implements SimulatedMailPlatform {
  constructor(
    private readonly db: Db,
    public settings: SimulationSettings,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async createAccount(account: PlatformAccount, temporaryPassword: string): Promise<void> {
    const now = this.clock().getTime();
    const passwordHash = await hashPassword(temporaryPassword);
    this.db.transaction(() => {
      const existing = this.db
        .prepare('SELECT deleted_at FROM platform_accounts WHERE id = ?')
        .get(account.accountId) as { deleted_at: number | null } | undefined;
      if (existing && existing.deleted_at === null) {
        this.db
          .prepare('UPDATE platform_accounts SET password_hash = ? WHERE id = ?')
          .run(passwordHash, account.accountId);
        this.record(now, account.accountId, 'setPassword');
        return;
      }
      this.db
        .prepare(
          `INSERT INTO platform_accounts (id, email, display_name, organisation_code, password_hash, requested_at)
           VALUES (@id, @email, @displayName, @org, @passwordHash, @now)
           ON CONFLICT (id) DO UPDATE SET password_hash = @passwordHash, requested_at = @now, deleted_at = NULL,
             enabled = 1, disabled_reason = NULL, sync_started_at = NULL`,
        )
        .run({
          id: account.accountId,
          email: account.email,
          displayName: account.displayName,
          org: account.organisationCode,
          passwordHash,
          now,
        });
      this.record(now, account.accountId, 'createAccount', account.email);
    })();
  }

  async mailboxStatus(accountId: string): Promise<MailboxStatus> {
    const now = this.clock().getTime();
    this.record(now, accountId, 'mailboxStatus');
    return simulatedMailbox(this.live(accountId)?.requested_at, now, this.settings);
  }

  async updateAccount(accountId: string, changes: AccountChanges): Promise<void> {
    this.db
      .prepare(
        `UPDATE platform_accounts SET display_name = COALESCE(?, display_name),
           organisation_code = COALESCE(?, organisation_code) WHERE id = ?`,
      )
      .run(changes.displayName ?? null, changes.organisationCode ?? null, accountId);
    this.record(this.clock().getTime(), accountId, 'updateAccount', updateDetail(changes));
  }

  async restoreAccount(accountId: string): Promise<void> {
    const changed = this.db
      .prepare('UPDATE platform_accounts SET deleted_at = NULL WHERE id = ? AND deleted_at IS NOT NULL')
      .run(accountId).changes;
    if (changed) this.record(this.clock().getTime(), accountId, 'restoreAccount');
  }

  async setPassword(accountId: string, temporaryPassword: string): Promise<void> {
    const passwordHash = await hashPassword(temporaryPassword);
    this.db
      .prepare('UPDATE platform_accounts SET password_hash = ? WHERE id = ?')
      .run(passwordHash, accountId);
    this.record(this.clock().getTime(), accountId, 'setPassword');
  }

  async resetAupAndSecret(accountId: string): Promise<void> {
    this.record(this.clock().getTime(), accountId, 'resetAupAndSecret');
  }

  async revokeSessions(accountId: string): Promise<void> {
    this.record(this.clock().getTime(), accountId, 'revokeSessions');
  }

  async removePolicy(accountId: string): Promise<void> {
    const removed = this.db
      .prepare('DELETE FROM platform_policies WHERE account_id = ?')
      .run(accountId).changes;
    if (removed) this.record(this.clock().getTime(), accountId, 'removePolicy');
  }

  async lastSignIn(accountId: string): Promise<string | null> {
    const now = this.clock().getTime();
    this.record(now, accountId, 'lastSignIn');
    const row = this.db
      .prepare('SELECT last_sign_in_at FROM platform_accounts WHERE id = ? AND deleted_at IS NULL')
      .get(accountId) as { last_sign_in_at: number | null } | undefined;
    return row?.last_sign_in_at ? new Date(row.last_sign_in_at).toISOString() : null;
  }

  async signIn(accountId: string, at = this.clock()): Promise<void> {
    this.db
      .prepare('UPDATE platform_accounts SET last_sign_in_at = ? WHERE id = ? AND deleted_at IS NULL')
      .run(at.getTime(), accountId);
  }

  async notify(accountId: string, key: string, message: string): Promise<void> {
    const sent = this.db
      .prepare(
        'INSERT OR IGNORE INTO platform_notifications (key, account_id, message, sent_at) VALUES (?, ?, ?, ?)',
      )
      .run(key, accountId, message, this.clock().getTime()).changes;
    if (sent) this.record(this.clock().getTime(), accountId, 'notify', message);
  }

  async deleteAccount(accountId: string): Promise<void> {
    const now = this.clock().getTime();
    this.db.transaction(() => {
      const changed = this.db
        .prepare('UPDATE platform_accounts SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL')
        .run(now, accountId).changes;
      this.db.prepare('DELETE FROM platform_group_members WHERE account_id = ?').run(accountId);
      this.db.prepare('DELETE FROM platform_policies WHERE account_id = ?').run(accountId);
      if (changed) this.record(now, accountId, 'deleteAccount');
    })();
  }

  async beginSync(accountId: string): Promise<void> {
    const now = this.clock().getTime();
    const changed = this.db
      .prepare('UPDATE platform_accounts SET sync_started_at = ? WHERE id = ? AND sync_started_at IS NULL')
      .run(now, accountId).changes;
    if (changed) this.record(now, accountId, 'beginSync');
  }

  async syncStatus(accountId: string): Promise<{ complete: boolean }> {
    const now = this.clock().getTime();
    this.record(now, accountId, 'syncStatus');
    return { complete: simulatedSyncComplete(this.live(accountId)?.sync_started_at, now, this.settings) };
  }

  async addToGroup(accountId: string, group: string): Promise<void> {
    const now = this.clock().getTime();
    const added = this.db
      .prepare(
        'INSERT OR IGNORE INTO platform_group_members (group_name, account_id, added_at) VALUES (?, ?, ?)',
      )
      .run(group, accountId, now).changes;
    if (added) this.record(now, accountId, 'addToGroup', group);
  }

  async removeFromGroup(accountId: string, group: string): Promise<void> {
    const now = this.clock().getTime();
    const removed = this.db
      .prepare('DELETE FROM platform_group_members WHERE group_name = ? AND account_id = ?')
      .run(group, accountId).changes;
    if (removed) this.record(now, accountId, 'removeFromGroup', group);
  }

  async assignPolicy(accountId: string, policy: string): Promise<void> {
    const changed = this.db
      .prepare(
        `INSERT INTO platform_policies (account_id, policy) VALUES (?, ?)
         ON CONFLICT (account_id) DO UPDATE SET policy = excluded.policy WHERE policy <> excluded.policy`,
      )
      .run(accountId, policy).changes;
    if (changed) this.record(this.clock().getTime(), accountId, 'assignPolicy', policy);
  }

  async disable(accountId: string, reason: string): Promise<void> {
    const changed = this.db
      .prepare('UPDATE platform_accounts SET enabled = 0, disabled_reason = ? WHERE id = ? AND enabled = 1')
      .run(reason, accountId).changes;
    if (changed) this.record(this.clock().getTime(), accountId, 'disable', reason);
  }

  async enable(accountId: string): Promise<void> {
    const changed = this.db
      .prepare(
        'UPDATE platform_accounts SET enabled = 1, disabled_reason = NULL WHERE id = ? AND enabled = 0',
      )
      .run(accountId).changes;
    if (changed) this.record(this.clock().getTime(), accountId, 'enable');
  }

  async inspect(accountId: string): Promise<PlatformInspection> {
    const account = this.db.prepare('SELECT * FROM platform_accounts WHERE id = ?').get(accountId) as
      | {
          enabled: number;
          disabled_reason: string | null;
          deleted_at: number | null;
          password_hash: string;
          organisation_code: string;
        }
      | undefined;
    const groups = (
      this.db
        .prepare('SELECT group_name FROM platform_group_members WHERE account_id = ? ORDER BY group_name')
        .all(accountId) as { group_name: string }[]
    ).map((r) => r.group_name);
    const policy = (
      this.db.prepare('SELECT policy FROM platform_policies WHERE account_id = ?').get(accountId) as
        { policy: string } | undefined
    )?.policy;
    return {
      exists: !!account && account.deleted_at === null,
      organisationCode: account?.organisation_code ?? null,
      enabled: account?.enabled === 1,
      disabledReason: account?.disabled_reason ?? null,
      groups,
      policy: policy ?? null,
      passwordMatches: (password: string) => !!account && verifyPassword(password, account.password_hash),
    };
  }

  async operations(accountId: string, operation?: string): Promise<PlatformOperation[]> {
    const rows = this.db
      .prepare(
        `SELECT at, account_id, operation, detail FROM platform_operations
         WHERE account_id = ? AND (? IS NULL OR operation = ?) ORDER BY seq`,
      )
      .all(accountId, operation ?? null, operation ?? null) as {
      at: number;
      account_id: string;
      operation: string;
      detail: string | null;
    }[];
    return rows.map((r) => ({
      at: new Date(r.at).toISOString(),
      accountId: r.account_id,
      operation: r.operation,
      detail: r.detail,
    }));
  }

  private live(accountId: string) {
    return this.db
      .prepare(
        'SELECT requested_at, sync_started_at FROM platform_accounts WHERE id = ? AND deleted_at IS NULL',
      )
      .get(accountId) as { requested_at: number; sync_started_at: number | null } | undefined;
  }

  private record(at: number, accountId: string, operation: string, detail?: string): void {
    this.db
      .prepare('INSERT INTO platform_operations (at, account_id, operation, detail) VALUES (?, ?, ?, ?)')
      .run(at, accountId, operation, detail ?? null);
  }
}
