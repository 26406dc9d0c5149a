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
import type { Db, SqlDatabase } from './database';

/** The advisory lock class (PostgreSQL) of one platform account's creation. */
const ACCOUNT_LOCK = 0x6e68_0003;

/** A change to the platform: the rows it changed (0: it was already so, and nothing is recorded). */
type Change = (
  db: Db,
) => Promise<{ numUpdatedRows?: bigint; numDeletedRows?: bigint; numInsertedOrUpdatedRows?: bigint }>;

/**
 * The simulated mail platform in the engine's store, so that it survives restarts and workers on several
 * hosts share it. Each change and the record of it (by `clock`) are one transaction: a retried call
 * changes nothing and records nothing.
 */
export class SqlSimulatedMailPlatform implements SimulatedMailPlatform {
  constructor(
    private readonly sql: SqlDatabase,
    public settings: SimulationSettings,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async createAccount(account: PlatformAccount, temporaryPassword: string): Promise<void> {
    const now = this.now();
    const passwordHash = await hashPassword(temporaryPassword);
    const id = account.accountId;
    // A retry overlapping an attempt that timed out waits for it, then only sets the password again.
    await this.sql.transaction(
      async (db) => {
        const live = await db
          .selectFrom('platform_accounts')
          .select('deleted_at')
          .where('id', '=', id)
          .executeTakeFirst();
        if (live && live.deleted_at === null) {
          await db
            .updateTable('platform_accounts')
            .set({ password_hash: passwordHash })
            .where('id', '=', id)
            .execute();
          return this.record(db, now, id, 'setPassword');
        }
        await db
          .insertInto('platform_accounts')
          .values({
            id,
            email: account.email,
            display_name: account.displayName,
            organisation_code: account.organisationCode,
            password_hash: passwordHash,
            requested_at: now,
          })
          .onConflict((oc) =>
            oc.column('id').doUpdateSet({
              password_hash: passwordHash,
              requested_at: now,
              deleted_at: null,
              enabled: 1,
              disabled_reason: null,
              sync_started_at: null,
            }),
          )
          .execute();
        await this.record(db, now, id, 'createAccount', account.email);
      },
      [[ACCOUNT_LOCK, id]],
    );
  }

  async mailboxStatus(accountId: string): Promise<MailboxStatus> {
    const now = this.now();
    await this.record(this.sql.db, now, accountId, 'mailboxStatus');
    return simulatedMailbox((await this.live(accountId))?.requested_at, now, this.settings);
  }

  async updateAccount(accountId: string, changes: AccountChanges): Promise<void> {
    await this.change(
      accountId,
      'updateAccount',
      updateDetail(changes),
      (db) =>
        db
          .updateTable('platform_accounts')
          .set((eb) => ({
            display_name: eb.fn.coalesce(eb.val(changes.displayName ?? null), 'display_name'),
            organisation_code: eb.fn.coalesce(eb.val(changes.organisationCode ?? null), 'organisation_code'),
          }))
          .where('id', '=', accountId)
          .executeTakeFirstOrThrow(),
      true,
    );
  }

  async restoreAccount(accountId: string): Promise<void> {
    await this.change(accountId, 'restoreAccount', undefined, (db) =>
      this.account(db, accountId)
        .set({ deleted_at: null })
        .where('deleted_at', 'is not', null)
        .executeTakeFirstOrThrow(),
    );
  }

  async setPassword(accountId: string, temporaryPassword: string): Promise<void> {
    const passwordHash = await hashPassword(temporaryPassword);
    await this.change(
      accountId,
      'setPassword',
      undefined,
      (db) => this.account(db, accountId).set({ password_hash: passwordHash }).executeTakeFirstOrThrow(),
      true,
    );
  }

  async resetAupAndSecret(accountId: string): Promise<void> {
    await this.record(this.sql.db, this.now(), accountId, 'resetAupAndSecret');
  }

  async revokeSessions(accountId: string): Promise<void> {
    await this.record(this.sql.db, this.now(), accountId, 'revokeSessions');
  }

  async lastSignIn(accountId: string): Promise<string | null> {
    await this.record(this.sql.db, this.now(), accountId, 'lastSignIn');
    const row = await this.sql.db
      .selectFrom('platform_accounts')
      .select('last_sign_in_at')
      .where((eb) => eb.and({ id: accountId, deleted_at: null }))
      .executeTakeFirst();
    return row?.last_sign_in_at ? new Date(row.last_sign_in_at).toISOString() : null;
  }

  async signIn(accountId: string, at = this.clock()): Promise<void> {
    await this.account(this.sql.db, accountId)
      .set({ last_sign_in_at: at.getTime() })
      .where('deleted_at', 'is', null)
      .execute();
  }

  async removePolicy(accountId: string): Promise<void> {
    await this.change(accountId, 'removePolicy', undefined, (db) =>
      db.deleteFrom('platform_policies').where('account_id', '=', accountId).executeTakeFirstOrThrow(),
    );
  }

  async notify(accountId: string, key: string, message: string): Promise<void> {
    await this.change(accountId, 'notify', message, (db) =>
      db
        .insertInto('platform_notifications')
        .values({ key, account_id: accountId, message, sent_at: this.now() })
        .onConflict((oc) => oc.column('key').doNothing())
        .executeTakeFirstOrThrow(),
    );
  }

  async deleteAccount(accountId: string): Promise<void> {
    await this.change(accountId, 'deleteAccount', undefined, async (db) => {
      const deleted = await this.account(db, accountId)
        .set({ deleted_at: this.now() })
        .where('deleted_at', 'is', null)
        .executeTakeFirstOrThrow();
      await db.deleteFrom('platform_group_members').where('account_id', '=', accountId).execute();
      await db.deleteFrom('platform_policies').where('account_id', '=', accountId).execute();
      return deleted;
    });
  }

  async beginSync(accountId: string): Promise<void> {
    await this.change(accountId, 'beginSync', undefined, (db) =>
      this.account(db, accountId)
        .set({ sync_started_at: this.now() })
        .where('sync_started_at', 'is', null)
        .executeTakeFirstOrThrow(),
    );
  }

  async syncStatus(accountId: string): Promise<{ complete: boolean }> {
    const now = this.now();
    await this.record(this.sql.db, now, accountId, 'syncStatus');
    const live = await this.live(accountId);
    return { complete: simulatedSyncComplete(live?.sync_started_at, now, this.settings) };
  }

  async addToGroup(accountId: string, group: string): Promise<void> {
    await this.change(accountId, 'addToGroup', group, (db) =>
      db
        .insertInto('platform_group_members')
        .values({ group_name: group, account_id: accountId, added_at: this.now() })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirstOrThrow(),
    );
  }

  async removeFromGroup(accountId: string, group: string): Promise<void> {
    await this.change(accountId, 'removeFromGroup', group, (db) =>
      db
        .deleteFrom('platform_group_members')
        .where((eb) => eb.and({ group_name: group, account_id: accountId }))
        .executeTakeFirstOrThrow(),
    );
  }

  async assignPolicy(accountId: string, policy: string): Promise<void> {
    await this.change(accountId, 'assignPolicy', policy, (db) =>
      db
        .insertInto('platform_policies')
        .values({ account_id: accountId, policy })
        .onConflict((oc) =>
          oc
            .column('account_id')
            .doUpdateSet({ policy: (eb) => eb.ref('excluded.policy') })
            .where('platform_policies.policy', '<>', (eb) => eb.ref('excluded.policy')),
        )
        .executeTakeFirstOrThrow(),
    );
  }

  async disable(accountId: string, reason: string): Promise<void> {
    await this.change(accountId, 'disable', reason, (db) =>
      this.account(db, accountId)
        .set({ enabled: 0, disabled_reason: reason })
        .where('enabled', '=', 1)
        .executeTakeFirstOrThrow(),
    );
  }

  async enable(accountId: string): Promise<void> {
    await this.change(accountId, 'enable', undefined, (db) =>
      this.account(db, accountId)
        .set({ enabled: 1, disabled_reason: null })
        .where('enabled', '=', 0)
        .executeTakeFirstOrThrow(),
    );
  }

  async inspect(accountId: string): Promise<PlatformInspection> {
    const { db } = this.sql;
    const account = await db
      .selectFrom('platform_accounts')
      .selectAll()
      .where('id', '=', accountId)
      .executeTakeFirst();
    const groups = await db
      .selectFrom('platform_group_members')
      .select('group_name')
      .where('account_id', '=', accountId)
      .execute();
    const policy = await db
      .selectFrom('platform_policies')
      .select('policy')
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    return {
      exists: !!account && account.deleted_at === null,
      organisationCode: account?.organisation_code ?? null,
      enabled: account?.enabled === 1,
      disabledReason: account?.disabled_reason ?? null,
      // Sorted here, byte by byte, as SQLite and PostgreSQL collate text differently.
      groups: groups.map((g) => g.group_name).sort(),
      policy: policy?.policy ?? null,
      passwordMatches: (password: string) => !!account && verifyPassword(password, account.password_hash),
    };
  }

  async operations(accountId: string, operation?: string): Promise<PlatformOperation[]> {
    const rows = await this.sql.db
      .selectFrom('platform_operations')
      .select(['at', 'account_id', 'operation', 'detail'])
      .where((eb) => eb.and({ account_id: accountId, operation }))
      .orderBy('seq')
      .execute();
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

  private account(db: Db, accountId: string) {
    return db.updateTable('platform_accounts').where('id', '=', accountId);
  }

  private live(accountId: string) {
    return this.sql.db
      .selectFrom('platform_accounts')
      .select(['requested_at', 'sync_started_at'])
      .where((eb) => eb.and({ id: accountId, deleted_at: null }))
      .executeTakeFirst();
  }

  /** Makes a change and, if it changed something (or `always`), records the operation, in one transaction. */
  private async change(
    accountId: string,
    operation: string,
    detail: string | undefined,
    change: Change,
    always = false,
  ) {
    const at = this.now();
    await this.sql.transaction(async (db) => {
      const result = await change(db);
      const changed = result.numUpdatedRows ?? result.numDeletedRows ?? result.numInsertedOrUpdatedRows ?? 0n;
      if (changed > 0n || always) await this.record(db, at, accountId, operation, detail);
    });
  }

  private async record(db: Db, at: number, accountId: string, operation: string, detail?: string) {
    await db
      .insertInto('platform_operations')
      .values({ at, account_id: accountId, operation, detail: detail ?? null })
      .execute();
  }
}
