import type {
  Expression,
  ExpressionBuilder,
  Insertable,
  OnConflictBuilder,
  SqlBool,
  UpdateObject,
} from 'kysely';
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
type Once = 'platform_notifications' | 'platform_group_members';
type Only = (eb: Accounts) => Expression<SqlBool>;
/** A statement of a change, and what is recorded of it: only if it changed a row, unless `always`. */
type Change = { id: string; operation: string; detail?: string; always?: boolean };
type Statement = (db: Db) => Promise<Parameters<typeof changed>[0]>;

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
    const { accountId: id, email } = account;
    const password_hash = await hashPassword(temporaryPassword);
    // A retry overlapping an attempt that timed out waits for it, then only sets the password again.
    const create = async (db: Db) => {
      const held = await db
        .selectFrom('platform_accounts')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      if (held && held.deleted_at === null) {
        await db.updateTable('platform_accounts').set({ password_hash }).where('id', '=', id).execute();
        return this.record(db, { id, operation: 'setPassword' }, now);
      }
      const afresh = {
        password_hash,
        requested_at: now,
        deleted_at: null,
        enabled: 1,
        sync_started_at: null,
      };
      const names = { display_name: account.displayName, organisation_code: account.organisationCode };
      await db
        .insertInto('platform_accounts')
        .values({ ...afresh, ...names, id, email })
        .onConflict((oc) => oc.column('id').doUpdateSet({ ...afresh, disabled_reason: null }))
        .execute();
      await this.record(db, { id, operation: 'createAccount', detail: email }, now);
    };
    await this.sql.transaction(create, [[ACCOUNT_LOCK, id]]);
  }

  async mailboxStatus(id: string): Promise<MailboxStatus> {
    const now = this.now();
    await this.record(this.sql.db, { id, operation: 'mailboxStatus' }, now);
    return simulatedMailbox((await this.live(id))?.requested_at, now, this.settings);
  }

  async updateAccount(id: string, changes: AccountChanges): Promise<void> {
    const set = (eb: Accounts) => ({
      display_name: eb.fn.coalesce(eb.val(changes.displayName ?? null), 'display_name'),
      organisation_code: eb.fn.coalesce(eb.val(changes.organisationCode ?? null), 'organisation_code'),
    });
    const detail = updateDetail(changes);
    await this.change({ id, operation: 'updateAccount', detail, always: true }, this.set(id, set));
  }

  async restoreAccount(id: string): Promise<void> {
    const deleted = (eb: Accounts) => eb('deleted_at', 'is not', null);
    await this.change({ id, operation: 'restoreAccount' }, this.set(id, { deleted_at: null }, deleted));
  }

  async setPassword(id: string, temporaryPassword: string): Promise<void> {
    const password_hash = await hashPassword(temporaryPassword);
    await this.change({ id, operation: 'setPassword', always: true }, this.set(id, { password_hash }));
  }

  async resetAupAndSecret(id: string): Promise<void> {
    await this.record(this.sql.db, { id, operation: 'resetAupAndSecret' });
  }

  async revokeSessions(id: string): Promise<void> {
    await this.record(this.sql.db, { id, operation: 'revokeSessions' });
  }

  async lastSignIn(id: string): Promise<string | null> {
    await this.record(this.sql.db, { id, operation: 'lastSignIn' });
    const at = (await this.live(id))?.last_sign_in_at;
    return at ? new Date(at).toISOString() : null;
  }

  async signIn(id: string, at = this.clock()): Promise<void> {
    const live = (eb: Accounts) => eb('deleted_at', 'is', null);
    await this.set(id, { last_sign_in_at: at.getTime() }, live)(this.sql.db);
  }

  async removePolicy(id: string): Promise<void> {
    await this.change({ id, operation: 'removePolicy' }, (db) =>
      db.deleteFrom('platform_policies').where('account_id', '=', id).executeTakeFirstOrThrow(),
    );
  }

  async notify(id: string, key: string, message: string): Promise<void> {
    const notice = { key, account_id: id, message, sent_at: this.now() };
    await this.change(
      { id, operation: 'notify', detail: message },
      insertNew('platform_notifications', notice),
    );
  }

  async deleteAccount(id: string): Promise<void> {
    await this.change({ id, operation: 'deleteAccount' }, async (db) => {
      await db.deleteFrom('platform_group_members').where('account_id', '=', id).execute();
      await db.deleteFrom('platform_policies').where('account_id', '=', id).execute();
      return this.set(id, { deleted_at: this.now() }, (eb) => eb('deleted_at', 'is', null))(db);
    });
  }

  async beginSync(id: string): Promise<void> {
    const unsynced = (eb: Accounts) => eb('sync_started_at', 'is', null);
    await this.change(
      { id, operation: 'beginSync' },
      this.set(id, { sync_started_at: this.now() }, unsynced),
    );
  }

  async syncStatus(id: string): Promise<{ complete: boolean }> {
    const now = this.now();
    await this.record(this.sql.db, { id, operation: 'syncStatus' }, now);
    return { complete: simulatedSyncComplete((await this.live(id))?.sync_started_at, now, this.settings) };
  }

  async addToGroup(id: string, group: string): Promise<void> {
    const member = { group_name: group, account_id: id, added_at: this.now() };
    await this.change(
      { id, operation: 'addToGroup', detail: group },
      insertNew('platform_group_members', member),
    );
  }

  async removeFromGroup(id: string, group: string): Promise<void> {
    const member = (eb: ExpressionBuilder<Database, 'platform_group_members'>) =>
      eb.and({ group_name: group, account_id: id });
    const remove = (db: Db) =>
      db.deleteFrom('platform_group_members').where(member).executeTakeFirstOrThrow();
    await this.change({ id, operation: 'removeFromGroup', detail: group }, remove);
  }

  async assignPolicy(id: string, policy: string): Promise<void> {
    await this.change({ id, operation: 'assignPolicy', detail: policy }, (db) =>
      db
        .insertInto('platform_policies')
        .values({ account_id: id, policy })
        .onConflict((oc) =>
          oc
            .column('account_id')
            .doUpdateSet({ policy: (eb) => eb.ref('excluded.policy') })
            .where('platform_policies.policy', '<>', (eb) => eb.ref('excluded.policy')),
        )
        .executeTakeFirst(),
    );
  }

  async disable(id: string, reason: string): Promise<void> {
    const set = this.set(id, { enabled: 0, disabled_reason: reason }, (eb) => eb('enabled', '=', 1));
    await this.change({ id, operation: 'disable', detail: reason }, set);
  }

  async enable(id: string): Promise<void> {
    const set = this.set(id, { enabled: 1, disabled_reason: null }, (eb) => eb('enabled', '=', 0));
    await this.change({ id, operation: 'enable' }, set);
  }

  async inspect(id: string): Promise<PlatformInspection> {
    const { db } = this.sql;
    const account = await this.account(id);
    const groups = db.selectFrom('platform_group_members').select('group_name').where('account_id', '=', id);
    const policy = db.selectFrom('platform_policies').select('policy').where('account_id', '=', id);
    return {
      exists: !!account && account.deleted_at === null,
      organisationCode: account?.organisation_code ?? null,
      enabled: account?.enabled === 1,
      disabledReason: account?.disabled_reason ?? null,
      // Sorted here, character by character, as the two databases collate text differently.
      groups: (await groups.execute()).map((g) => g.group_name).sort(),
      policy: (await policy.executeTakeFirst())?.policy ?? null,
      passwordMatches: (password: string) => !!account && verifyPassword(password, account.password_hash),
    };
  }

  async operations(id: string, operation?: string): Promise<PlatformOperation[]> {
    const calls = this.sql.db.selectFrom('platform_operations').selectAll().where('account_id', '=', id);
    const rows = await (operation ? calls.where('operation', '=', operation) : calls)
      .orderBy('seq')
      .execute();
    return rows.map((r) => ({
      at: iso(r.at),
      accountId: r.account_id,
      operation: r.operation,
      detail: r.detail,
    }));
  }

  private now(): number {
    return this.clock().getTime();
  }

  private async live(id: string) {
    const account = await this.account(id);
    return account?.deleted_at === null ? account : undefined;
  }

  private account(id: string) {
    return this.sql.db.selectFrom('platform_accounts').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Sets the account's columns, where `only` holds. */
  private set(id: string, set: AccountUpdate | ((eb: Accounts) => AccountUpdate), only?: Only) {
    return (db: Db) => {
      const account = db.updateTable('platform_accounts').set(set).where('id', '=', id);
      return (only ? account.where(only) : account).executeTakeFirstOrThrow();
    };
  }

  private async change(change: Change, statement: Statement): Promise<void> {
    const at = this.now();
    await this.sql.transaction(async (db) => {
      if (changed(await statement(db)) || change.always) await this.record(db, change, at);
    });
  }

  private async record(db: Db, { id, operation, detail }: Change, at = this.now()): Promise<void> {
    const call = { at, account_id: id, operation, detail: detail ?? null };
    await db.insertInto('platform_operations').values(call).execute();
  }
}

/** Inserts the row unless its key is taken (then nothing changed, and nothing is recorded). */
function insertNew<T extends Once>(table: T, row: Insertable<Database[T]>) {
  return (db: Db) =>
    db
      .insertInto(table)
      .values(row as never)
      .onConflict(doNothing)
      .executeTakeFirst();
}

const doNothing = <T extends Once>(oc: OnConflictBuilder<Database, T>) => oc.doNothing();
const iso = (ms: number) => new Date(ms).toISOString();
