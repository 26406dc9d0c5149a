import crypto from 'node:crypto';
import {
  BOUND_TO_UPDATE,
  IDEMPOTENCY_ABANDONED_MS,
  IDEMPOTENCY_TTL_MS,
  NO_OWNER,
  type Claim,
  type IdempotencyKeys,
} from '../../ports/idempotency-keys';
import { sql, type ExpressionBuilder } from 'kysely';
import { compiled, type Db, type Slot, type SqlDatabase } from './database';
import type { Database } from './schema';

/**
 * Idempotency-Key claims, shared by every API process: a key is claimed by inserting it (the primary key
 * lets one request in; in PostgreSQL another waits for it to commit and then reads it, locked, to decide).
 */
export class SqlIdempotencyKeys implements IdempotencyKeys {
  private readonly statements;

  constructor(
    private readonly sql: SqlDatabase,
    private readonly clock: () => number = Date.now,
  ) {
    this.statements = statements(sql);
  }

  async claim(principalId: string, key: string, requestHash: string): Promise<Claim> {
    const now = this.clock();
    const claimId = crypto.randomUUID();
    const s = this.statements;
    const values = { principalId, key, requestHash, claimId, now, status: null };
    return this.sql.transaction(async (db): Promise<Claim> => {
      await this.forgetExpired(db, values);
      if ((await s.insert(db, values)).numAffectedRows) return { state: 'new', claimId };
      const row = (await s.held(db, values)).rows[0]!;
      if (row.request_hash !== requestHash) return { state: 'mismatch' };
      if (row.status !== null) {
        return { state: 'replay', status: row.status, body: JSON.parse(row.body!) as unknown };
      }
      if (row.claim_id !== NO_OWNER && row.created_at >= now - IDEMPOTENCY_ABANDONED_MS) {
        return { state: 'in-progress' };
      }
      // The request holding the key died: this one takes it over, with the account it had reserved.
      await s.takeOver(db, values);
      return row.body === null
        ? { state: 'new', claimId }
        : { state: 'new', claimId, account: JSON.parse(row.body) as unknown };
    });
  }

  async reserved(principalId: string, key: string, claimId: string, account: unknown): Promise<void> {
    await this.statements.setBody(this.sql.db, { principalId, key, claimId, body: JSON.stringify(account) });
  }

  async bindUpdate(principalId: string, key: string, requestHash: string): Promise<'bound' | 'mismatch'> {
    const values = {
      principalId,
      key,
      requestHash,
      claimId: NO_OWNER,
      status: BOUND_TO_UPDATE,
      now: this.clock(),
    };
    return this.sql.transaction(async (db) => {
      await this.forgetExpired(db, values);
      await this.statements.insert(db, values);
      const { rows } = await this.statements.held(db, values);
      return rows[0]!.request_hash === requestHash ? 'bound' : 'mismatch';
    });
  }

  async complete(principalId: string, key: string, claimId: string, status: number, body: unknown) {
    await this.statements.complete(this.sql.db, {
      principalId,
      key,
      claimId,
      status,
      body: JSON.stringify(body),
    });
  }

  async release(principalId: string, key: string, claimId: string): Promise<void> {
    const mine = { principal_id: principalId, key, claim_id: claimId, status: null };
    await this.sql.transaction(async (db) => {
      await db
        .deleteFrom(TABLE)
        .where((eb) => eb.and({ ...mine, body: null }))
        .execute();
      await db
        .updateTable(TABLE)
        .set({ claim_id: NO_OWNER })
        .where((eb) => eb.and(mine))
        .execute();
    });
  }

  /**
   * Keys older than 24 hours are forgotten. SQLite, one writer at a time, deletes them all at once;
   * PostgreSQL this one at once (so it can be claimed afresh) and the others a few at a time, so that no
   * request waits for a large sweep or on rows another request is sweeping.
   */
  private async forgetExpired(db: Db, values: { principalId: string; key: string; now: number }) {
    const before = { ...values, before: values.now - IDEMPOTENCY_TTL_MS };
    await this.statements.forgetKey?.(db, before);
    await this.statements.forgetSome(db, before);
  }
}

const TABLE = 'api_idempotency_keys';

function statements(database: SqlDatabase) {
  const { db } = database;
  const postgres = database.dialect === 'postgres';
  const key = (slot: Slot) => ({ principal_id: slot('principalId'), key: slot('key') });
  const mine = (slot: Slot) => ({ ...key(slot), claim_id: slot('claimId') });
  const keyed = (where: Record<string, never>) => (eb: ExpressionBuilder<Database, typeof TABLE>) =>
    eb.and(where);
  const update = (set: Record<string, never>, where: Record<string, never>) =>
    db.updateTable(TABLE).set(set).where(keyed(where));
  const before = (slot: Slot) => ['created_at', '<', slot('before')] as const;
  return {
    insert: compiled(database, (slot) => {
      const row = {
        ...mine(slot),
        request_hash: slot('requestHash'),
        status: slot('status'),
        created_at: slot('now'),
      };
      return db
        .insertInto(TABLE)
        .values(row)
        .onConflict((oc) => oc.doNothing());
    }),
    held: compiled(database, (slot) => {
      const held = db
        .selectFrom(TABLE)
        .selectAll()
        .where(keyed(key(slot)));
      return postgres ? held.forUpdate() : held;
    }),
    takeOver: compiled(database, (slot) =>
      update({ claim_id: slot('claimId'), created_at: slot('now') }, key(slot)),
    ),
    setBody: compiled(database, (slot) => update({ body: slot('body') }, mine(slot))),
    complete: compiled(database, (slot) =>
      update({ status: slot('status'), body: slot('body') }, mine(slot)),
    ),
    forgetKey: postgres
      ? compiled(database, (slot) =>
          db
            .deleteFrom(TABLE)
            .where(keyed(key(slot)))
            .where(...before(slot)),
        )
      : undefined,
    forgetSome: compiled(database, (slot) => {
      if (!postgres) return db.deleteFrom(TABLE).where(...before(slot));
      const ctid = sql.ref('ctid');
      const some = db
        .selectFrom(TABLE)
        .select(ctid.as('ctid'))
        .where(...before(slot))
        .limit(100);
      return db.deleteFrom(TABLE).where(ctid, 'in', some.forUpdate().skipLocked());
    }),
  };
}
