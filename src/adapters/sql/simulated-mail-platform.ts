import type { Expression, ExpressionBuilder, SqlBool, UpdateObject } from 'kysely';
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
import { changed, type Db, type SqlDatabase } from './database';
import type { Database } from './schema';

/** The advisory lock class (PostgreSQL) of one platform account's creation. */
const ACCOUNT_LOCK = 0x6e68_0003;

type Accounts = ExpressionBuilder<Database, 'platform_accounts'>;
type AccountUpdate = UpdateObject<Database, 'platform_accounts'>;

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
    const password_hash = await hashPassword(temporaryPassword);
    const id = account.accountId;
    // A retry overlapping an attempt that timed out waits for it, then only sets the password again.
    const create = async (db: Db) => {
      const held = await db
        .selectFrom('platform_accounts')
        .select('deleted_at')
        .where('id', '=', id)
        .executeTakeFirst();
      if (held && held.deleted_at === null) {
        await db.updateTable('platform_accounts').set({ password_hash }).where('id', '=', id).execute();
        return this.record(db, now, id, 'setPassword');
      }
      const afresh = {
        password_hash,
        requested_at: now,
        deleted_at: null,
        enabled: 1,
        sync_started_at: null,
      };
      await db
        .insertInto('platform_accounts')
        .values({
          ...afresh,
          id,
          email: account.email,
          display_name: account.displayName,
          organisation_code: account.organisationCode,
        })
        .onConflict((oc) => oc.column('id').doUpdateSet({ ...afresh, disabled_reason: null }))
        .execute();
      await this.record(db, now, id, 'createAccount', account.email);
    };
    await this.sql.transaction(create, [[ACCOUNT_LOCK, id]]);
  }

  async mailboxStatus(accountId: string): Promise<MailboxStatus> {
    const now = this.now();
    await this.record(this.sql.db, now, accountId, 'mailboxStatus');
    return simulatedMailbox((await this.live(accountId))?.requested_at, now, this.settings);
  }

  async updateAccount(accountId: string, changes: AccountChanges): Promise<void> {
    const set = (eb: Accounts) => ({
      display_name: eb.fn.coalesce(eb.val(changes.displayName ?? null), 'display_name'),
      organisation_code: eb.fn.coalesce(eb.val(changes.organisationCode ?? null), 'organisation_code'),
    });
    await this.changeAccount(accountId, 'updateAccount', set, undefined, updateDetail(changes), true);
  }

  async restoreAccount(accountId: string): Promise<void> {
    await this.changeAccount(accountId, 'restoreAccount', { deleted_at: null }, (eb) =>
      eb('deleted_at', 'is not', null),
    );
  }

  async setPassword(accountId: string, temporaryPassword: string): Promise<void> {
    const password_hash = await hashPassword(temporaryPassword);
    await this.changeAccount(accountId, 'setPassword', { password_hash }, undefined, undefined, true);
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
    await this.sql.db
      .updateTable('platform_accounts')
      .set({ last_sign_in_at: at.getTime() })
      .where((eb) => eb.and({ id: accountId, deleted_at: null }))
      .execute();
  }

  async removePolicy(accountId: string): Promise<void> {
    await this.change(accountId, 'removePolicy', (db) =>
      db.deleteFrom('platform_policies').where('account_id', '=', accountId).executeTakeFirstOrThrow(),
    );
  }

  async notify(accountId: string, key: string, message: string): Promise<void> {
    const notice = { key, account_id: accountId, message, sent_at: this.now() };
    await this.change(
      accountId,
      'notify',
      (db) =>
        db
          .insertInto('platform_notifications')
          .values(notice)
          .onConflict((oc) => oc.doNothing())
          .executeTakeFirstOrThrow(),
      message,
    );
  }

  async deleteAccount(accountId: string): Promise<void> {
    await this.change(accountId, 'deleteAccount', async (db) => {
      await db.deleteFrom('platform_group_members').where('account_id', '=', accountId).execute();
      await db.deleteFrom('platform_policies').where('account_id', '=', accountId).execute();
      return this.setAccount(db, accountId, { deleted_at: this.now() }, (eb) => eb('deleted_at', 'is', null));
    });
  }

  async beginSync(accountId: string): Promise<void> {
    await this.changeAccount(accountId, 'beginSync', { sync_started_at: this.now() }, (eb) =>
      eb('sync_started_at', 'is', null),
    );
  }

  async syncStatus(accountId: string): Promise<{ complete: boolean }> {
    const now = this.now();
    await this.record(this.sql.db, now, accountId, 'syncStatus');
    const live = await this.live(accountId);
    return { complete: simulatedSyncComplete(live?.sync_started_at, now, this.settings) };
  }

  async addToGroup(accountId: string, group: string): Promise<void> {
    const member = { group_name: group, account_id: accountId, added_at: this.now() };
    await this.change(
      accountId,
      'addToGroup',
      (db) =>
        db
          .insertInto('platform_group_members')
          .values(member)
          .onConflict((oc) => oc.doNothing())
          .executeTakeFirstOrThrow(),
      group,
    );
  }

  async removeFromGroup(accountId: string, group: string): Promise<void> {
    const member = { group_name: group, account_id: accountId };
    await this.change(
      accountId,
      'removeFromGroup',
      (db) =>
        db
          .deleteFrom('platform_group_members')
          .where((eb) => eb.and(member))
          .executeTakeFirstOrThrow(),
      group,
    );
  }

  async assignPolicy(accountId: string, policy: string): Promise<void> {
    const assign = (db: Db) =>
      db
        .insertInto('platform_policies')
        .values({ account_id: accountId, policy })
        .onConflict((oc) =>
          oc
            .column('account_id')
            .doUpdateSet({ policy: (eb) => eb.ref('excluded.policy') })
            .where('platform_policies.policy', '<>', (eb) => eb.ref('excluded.policy')),
        )
        .executeTakeFirstOrThrow();
    await this.change(accountId, 'assignPolicy', assign, policy);
  }

  async disable(accountId: string, reason: string): Promise<void> {
    const set = { enabled: 0, disabled_reason: reason };
    await this.changeAccount(accountId, 'disable', set, (eb) => eb('enabled', '=', 1), reason);
  }

  async enable(accountId: string): Promise<void> {
    const set = { enabled: 1, disabled_reason: null };
    await this.changeAccount(accountId, 'enable', set, (eb) => eb('enabled', '=', 0));
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
      // Sorted here, character by character, as the two databases collate text differently.
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

  private live(accountId: string) {
    return this.sql.db
      .selectFrom('platform_accounts')
      .select(['requested_at', 'sync_started_at'])
      .where((eb) => eb.and({ id: accountId, deleted_at: null }))
      .executeTakeFirst();
  }

  /** Makes a change and records the operation if it changed a row (or `always`), in one transaction. */
  private async change(
    accountId: string,
    operation: string,
    change: (db: Db) => Promise<Parameters<typeof changed>[0]>,
    detail?: string,
    always = false,
  ) {
    const at = this.now();
    await this.sql.transaction(async (db) => {
      if (changed(await change(db)) || always) await this.record(db, at, accountId, operation, detail);
    });
  }

  /** Sets the account's columns where `only` holds, as one recorded change. */
  private changeAccount(
    accountId: string,
    operation: string,
    set: AccountUpdate | ((eb: Accounts) => AccountUpdate),
    only?: (eb: Accounts) => Expression<SqlBool>,
    detail?: string,
    always = false,
  ) {
    return this.change(
      accountId,
      operation,
      (db) => this.setAccount(db, accountId, set, only),
      detail,
      always,
    );
  }

  private setAccount(
    db: Db,
    accountId: string,
    set: AccountUpdate | ((eb: Accounts) => AccountUpdate),
    only?: (eb: Accounts) => Expression<SqlBool>,
  ) {
    return db
      .updateTable('platform_accounts')
      .set(set)
      .where((eb) => (only ? eb.and([eb('id', '=', accountId), only(eb)]) : eb('id', '=', accountId)))
      .executeTakeFirstOrThrow();
  }

  private async record(db: Db, at: number, accountId: string, operation: string, detail?: string) {
    await db
      .insertInto('platform_operations')
      .values({ at, account_id: accountId, operation, detail: detail ?? null })
      .execute();
  }
}
