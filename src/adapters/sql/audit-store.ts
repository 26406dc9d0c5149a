import type { ExpressionBuilder } from 'kysely';
import { AuditSealer, UnknownAuditKey } from '../../crypto/audit-sealer';
import type { Actor, AuditEntry } from '../../domain/account';
import type { AuditPage, AuditRecord, AuditSearch, AuditStore } from '../../ports/audit-store';
import type { SqlDatabase } from './database';
import type { Database } from './schema';

type Row = Database['audit_entries'];
type Entries = ExpressionBuilder<Database, 'audit_entries'>;

/** What an entry says, sealed: everything but what a search filters on. */
type Sealed = Pick<AuditEntry, 'action' | 'changes' | 'detail'> & { actorName: string };

/** Rows per insert: far below SQLite's limit of bound values. */
const ROWS_PER_INSERT = 500;
/** Rows per delete of the retention purge, so that no purge holds the table long. */
const ROWS_PER_PURGE = 5000;

/**
 * The audit trail in the engine's database (table `audit_entries`), keyed by account and seq. The columns
 * hold only what a search filters on (the account, its organisation, the time, who acted); what the entry
 * says is sealed (AuditSealer), so no phone number or note is kept in plain text. The table refuses updates.
 */
export class SqlAuditStore implements AuditStore {
  constructor(
    private readonly sql: SqlDatabase,
    private readonly sealer: AuditSealer,
  ) {}

  async append(records: readonly AuditRecord[]): Promise<void> {
    if (records.length === 0) return;
    const rows = records.map((r) => this.rowOf(r));
    await this.sql.transaction(async (db) => {
      for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
        await db
          .insertInto('audit_entries')
          .values(rows.slice(i, i + ROWS_PER_INSERT))
          .onConflict((oc) => oc.columns(['account_id', 'seq']).doNothing())
          .execute();
      }
    });
  }

  async history(accountId: string): Promise<AuditRecord[]> {
    const rows = await this.sql.db
      .selectFrom('audit_entries')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('seq')
      .execute();
    return rows.map((r) => this.recordOf(r));
  }

  async search(search: AuditSearch): Promise<AuditPage> {
    if (search.organisations?.length === 0) return { records: [], more: false };
    const { organisations, organisation, actor, accountId, from, to, after } = search;
    const rows = await this.sql.db
      .selectFrom('audit_entries')
      .selectAll()
      .where((eb: Entries) => {
        const where = [];
        if (organisations) where.push(eb('organisation_code', 'in', organisations));
        if (organisation) where.push(eb('organisation_code', '=', organisation));
        if (actor) where.push(eb('actor_id', '=', actor));
        if (accountId) where.push(eb('account_id', '=', accountId));
        if (from) where.push(eb('at', '>=', from));
        if (to) where.push(eb('at', '<', to));
        if (after) {
          where.push(
            eb.or([
              eb('at', '<', after.at),
              eb.and([eb('at', '=', after.at), eb('account_id', '<', after.accountId)]),
              eb.and([
                eb('at', '=', after.at),
                eb('account_id', '=', after.accountId),
                eb('seq', '<', after.seq),
              ]),
            ]),
          );
        }
        return eb.and(where);
      })
      .orderBy('at', 'desc')
      .orderBy('account_id', 'desc')
      .orderBy('seq', 'desc')
      .limit(search.limit + 1)
      .execute();
    return {
      records: rows.slice(0, search.limit).map((r) => this.recordOf(r)),
      more: rows.length > search.limit,
    };
  }

  async purge(before: Date): Promise<number> {
    const { db } = this.sql;
    let deleted = 0;
    for (;;) {
      const some = db
        .selectFrom('audit_entries')
        .select(['account_id', 'seq'])
        .where('at', '<', before.toISOString())
        .limit(ROWS_PER_PURGE);
      const result = await db
        .deleteFrom('audit_entries')
        .where((eb) => eb(eb.refTuple('account_id', 'seq'), 'in', some.$asTuple('account_id', 'seq')))
        .executeTakeFirst();
      const n = Number(result.numDeletedRows);
      deleted += n;
      if (n < ROWS_PER_PURGE) return deleted;
    }
  }

  private rowOf(record: AuditRecord): Row {
    const { accountId, seq, at, organisation, actor, action, changes, detail } = record;
    const said: Sealed = { actorName: actor.name, action, changes, detail };
    return {
      account_id: accountId,
      seq,
      at,
      organisation_code: organisation,
      actor_kind: actor.kind,
      actor_id: actor.id,
      sealed: this.sealer.seal(said, contextOf(accountId, seq)),
    };
  }

  private recordOf(row: Row): AuditRecord {
    const { account_id: accountId, seq, at, organisation_code: organisation } = row;
    const place = { accountId, seq, at, organisation };
    const actor = (name: string): Actor => ({ kind: row.actor_kind, id: row.actor_id, name });
    let said: Sealed;
    try {
      said = this.sealer.unseal(row.sealed, contextOf(accountId, seq)) as Sealed;
    } catch (err) {
      if (!(err instanceof UnknownAuditKey)) throw err;
      return { ...place, actor: actor(row.actor_id), action: `Entry not readable: ${err.message}` };
    }
    const { actorName, action, changes, detail } = said;
    return {
      ...place,
      actor: actor(actorName),
      action,
      ...(changes === undefined ? {} : { changes }),
      ...(detail === undefined ? {} : { detail }),
    };
  }
}

/** What a sealed entry is bound to: its account and its place in the account's trail. */
const contextOf = (accountId: string, seq: number) => `audit:${accountId}:${seq}`;
