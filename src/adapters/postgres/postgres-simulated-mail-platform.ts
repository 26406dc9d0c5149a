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
import { inTransaction, type Pool, type PoolClient } from './database';

type Db = Pool | PoolClient;

/** The advisory lock class of one platform account's creation (the second key is the id's hash). */
const ACCOUNT_LOCK = 0x6e68_0003;

/**
 * The simulated mail platform in PostgreSQL, so that workers on several hosts share one platform. Each
 * change and the record of it are one transaction: a retried call changes nothing and records nothing.
 */
export class PostgresSimulatedMailPlatform implements SimulatedMailPlatform {
  constructor(
    private readonly pool: Pool,
    public settings: SimulationSettings,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async createAccount(account: PlatformAccount, temporaryPassword: string): Promise<void> {
    const now = this.clock().getTime();
    const passwordHash = await hashPassword(temporaryPassword);
    await inTransaction(this.pool, async (db) => {
      // A retry overlapping an attempt that timed out waits for it, then only sets the password again.
      await db.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [ACCOUNT_LOCK, account.accountId]);
      const { rows } = await db.query<{ deleted_at: number | null }>(
        'SELECT deleted_at FROM platform_accounts WHERE id = $1',
        [account.accountId],
      );
      if (rows[0] && rows[0].deleted_at === null) {
        await db.query('UPDATE platform_accounts SET password_hash = $1 WHERE id = $2', [
          passwordHash,
          account.accountId,
        ]);
        await record(db, now, account.accountId, 'setPassword');
        return;
      }
      await db.query(
        `INSERT INTO platform_accounts (id, email, display_name, organisation_code, password_hash, requested_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (id) DO UPDATE SET password_hash = $5, requested_at = $6, deleted_at = NULL,
           enabled = true, disabled_reason = NULL, sync_started_at = NULL`,
        [account.accountId, account.email, account.displayName, account.organisationCode, passwordHash, now],
      );
      await record(db, now, account.accountId, 'createAccount', account.email);
    });
  }

  async mailboxStatus(accountId: string): Promise<MailboxStatus> {
    const now = this.clock().getTime();
    await record(this.pool, now, accountId, 'mailboxStatus');
    return simulatedMailbox((await this.live(accountId))?.requested_at, now, this.settings);
  }

  async updateAccount(accountId: string, changes: AccountChanges): Promise<void> {
    await inTransaction(this.pool, async (db) => {
      await db.query(
        `UPDATE platform_accounts SET display_name = COALESCE($1, display_name),
           organisation_code = COALESCE($2, organisation_code) WHERE id = $3`,
        [changes.displayName ?? null, changes.organisationCode ?? null, accountId],
      );
      await record(db, this.now(), accountId, 'updateAccount', updateDetail(changes));
    });
  }

  async restoreAccount(accountId: string): Promise<void> {
    await this.changeRecorded(
      'UPDATE platform_accounts SET deleted_at = NULL WHERE id = $1 AND deleted_at IS NOT NULL',
      [accountId],
      accountId,
      'restoreAccount',
    );
  }

  async setPassword(accountId: string, temporaryPassword: string): Promise<void> {
    const passwordHash = await hashPassword(temporaryPassword);
    await inTransaction(this.pool, async (db) => {
      await db.query('UPDATE platform_accounts SET password_hash = $1 WHERE id = $2', [
        passwordHash,
        accountId,
      ]);
      await record(db, this.now(), accountId, 'setPassword');
    });
  }

  async resetAupAndSecret(accountId: string): Promise<void> {
    await record(this.pool, this.now(), accountId, 'resetAupAndSecret');
  }

  async revokeSessions(accountId: string): Promise<void> {
    await record(this.pool, this.now(), accountId, 'revokeSessions');
  }

  async lastSignIn(accountId: string): Promise<string | null> {
    await record(this.pool, this.now(), accountId, 'lastSignIn');
    const { rows } = await this.pool.query<{ last_sign_in_at: string | null }>(
      'SELECT last_sign_in_at FROM platform_accounts WHERE id = $1 AND deleted_at IS NULL',
      [accountId],
    );
    const at = rows[0]?.last_sign_in_at;
    return at ? new Date(Number(at)).toISOString() : null;
  }

  async signIn(accountId: string, at?: Date): Promise<void> {
    await this.pool.query(
      'UPDATE platform_accounts SET last_sign_in_at = $1 WHERE id = $2 AND deleted_at IS NULL',
      [at?.getTime() ?? this.now(), accountId],
    );
  }

  async removePolicy(accountId: string): Promise<void> {
    await this.changeRecorded(
      'DELETE FROM platform_policies WHERE account_id = $1',
      [accountId],
      accountId,
      'removePolicy',
    );
  }

  async notify(accountId: string, key: string, message: string): Promise<void> {
    await this.changeRecorded(
      `INSERT INTO platform_notifications (key, account_id, message, sent_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (key) DO NOTHING`,
      [key, accountId, message, this.now()],
      accountId,
      'notify',
      message,
    );
  }

  async deleteAccount(accountId: string): Promise<void> {
    const now = this.now();
    await inTransaction(this.pool, async (db) => {
      const changed = await db.query(
        'UPDATE platform_accounts SET deleted_at = $1 WHERE id = $2 AND deleted_at IS NULL',
        [now, accountId],
      );
      await db.query('DELETE FROM platform_group_members WHERE account_id = $1', [accountId]);
      await db.query('DELETE FROM platform_policies WHERE account_id = $1', [accountId]);
      if (changed.rowCount) await record(db, now, accountId, 'deleteAccount');
    });
  }

  async beginSync(accountId: string): Promise<void> {
    const now = this.now();
    await this.changeRecorded(
      'UPDATE platform_accounts SET sync_started_at = $1 WHERE id = $2 AND sync_started_at IS NULL',
      [now, accountId],
      accountId,
      'beginSync',
      undefined,
      now,
    );
  }

  async syncStatus(accountId: string): Promise<{ complete: boolean }> {
    const now = this.now();
    await record(this.pool, now, accountId, 'syncStatus');
    const live = await this.live(accountId);
    return { complete: simulatedSyncComplete(live?.sync_started_at, now, this.settings) };
  }

  async addToGroup(accountId: string, group: string): Promise<void> {
    const now = this.now();
    await this.changeRecorded(
      `INSERT INTO platform_group_members (group_name, account_id, added_at) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING`,
      [group, accountId, now],
      accountId,
      'addToGroup',
      group,
      now,
    );
  }

  async removeFromGroup(accountId: string, group: string): Promise<void> {
    await this.changeRecorded(
      'DELETE FROM platform_group_members WHERE group_name = $1 AND account_id = $2',
      [group, accountId],
      accountId,
      'removeFromGroup',
      group,
    );
  }

  async assignPolicy(accountId: string, policy: string): Promise<void> {
    await this.changeRecorded(
      `INSERT INTO platform_policies (account_id, policy) VALUES ($1, $2)
       ON CONFLICT (account_id) DO UPDATE SET policy = excluded.policy
       WHERE platform_policies.policy <> excluded.policy`,
      [accountId, policy],
      accountId,
      'assignPolicy',
      policy,
    );
  }

  async disable(accountId: string, reason: string): Promise<void> {
    await this.changeRecorded(
      'UPDATE platform_accounts SET enabled = false, disabled_reason = $1 WHERE id = $2 AND enabled',
      [reason, accountId],
      accountId,
      'disable',
      reason,
    );
  }

  async enable(accountId: string): Promise<void> {
    await this.changeRecorded(
      'UPDATE platform_accounts SET enabled = true, disabled_reason = NULL WHERE id = $1 AND NOT enabled',
      [accountId],
      accountId,
      'enable',
    );
  }

  async inspect(accountId: string): Promise<PlatformInspection> {
    const { rows } = await this.pool.query<{
      enabled: boolean;
      disabled_reason: string | null;
      deleted_at: number | null;
      password_hash: string;
      organisation_code: string;
      groups: string[];
      policy: string | null;
    }>(
      `SELECT a.enabled, a.disabled_reason, a.deleted_at, a.password_hash, a.organisation_code,
         COALESCE((SELECT array_agg(g.group_name ORDER BY g.group_name COLLATE "C")
                   FROM platform_group_members g WHERE g.account_id = $1), '{}') AS groups,
         (SELECT p.policy FROM platform_policies p WHERE p.account_id = $1) AS policy
       FROM (SELECT 1) one LEFT JOIN platform_accounts a ON a.id = $1`,
      [accountId],
    );
    const row = rows[0]!;
    const exists = row.password_hash !== null;
    return {
      exists: exists && row.deleted_at === null,
      organisationCode: row.organisation_code ?? null,
      enabled: row.enabled === true,
      disabledReason: row.disabled_reason ?? null,
      groups: row.groups,
      policy: row.policy ?? null,
      passwordMatches: (password: string) => exists && verifyPassword(password, row.password_hash),
    };
  }

  async operations(accountId: string, operation?: string): Promise<PlatformOperation[]> {
    const { rows } = await this.pool.query<{
      at: number;
      account_id: string;
      operation: string;
      detail: string | null;
    }>(
      `SELECT at, account_id, operation, detail FROM platform_operations
       WHERE account_id = $1 AND ($2::text IS NULL OR operation = $2) ORDER BY seq`,
      [accountId, operation ?? null],
    );
    return rows.map((r) => ({
      at: new Date(r.at).toISOString(),
      accountId: r.account_id,
      operation: r.operation,
      detail: r.detail,
    }));
  }

  private now(): number {
    return this.clock().getTime();
  }

  private async live(accountId: string) {
    const { rows } = await this.pool.query<{ requested_at: number; sync_started_at: number | null }>(
      'SELECT requested_at, sync_started_at FROM platform_accounts WHERE id = $1 AND deleted_at IS NULL',
      [accountId],
    );
    return rows[0];
  }

  /** Runs a one-statement change, and records the operation if it changed something. */
  private async changeRecorded(
    sql: string,
    params: unknown[],
    accountId: string,
    operation: string,
    detail?: string,
    at = this.now(),
  ): Promise<void> {
    await inTransaction(this.pool, async (db) => {
      const changed = await db.query(sql, params);
      if (changed.rowCount) await record(db, at, accountId, operation, detail);
    });
  }
}

async function record(db: Db, at: number, accountId: string, operation: string, detail?: string) {
  await db.query(
    'INSERT INTO platform_operations (at, account_id, operation, detail) VALUES ($1, $2, $3, $4)',
    [at, accountId, operation, detail ?? null],
  );
}
