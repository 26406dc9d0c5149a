import type { ExpressionBuilder } from 'kysely';
import {
  newSessionId,
  sessionKey,
  type PortalSessionRecord,
  type PortalSessions,
  type SessionLimits,
} from '../../ports/portal-sessions';
import type { Db, SqlDatabase } from './database';
import type { Database } from './schema';

type Sessions = ExpressionBuilder<Database, 'portal_sessions'>;

/** Portal sessions, shared by every API process. */
export class SqlPortalSessions implements PortalSessions {
  constructor(
    private readonly sql: SqlDatabase,
    private readonly clock: () => number = Date.now,
  ) {}

  async start(principalId: string, limits: SessionLimits): Promise<string> {
    const id = newSessionId();
    const now = this.clock();
    const times = { signed_in_at: now, last_seen_at: now };
    const session = { id_hash: sessionKey(id), principal_id: principalId, ...times };
    await this.sql.transaction(async (db) => {
      await this.purge(db, now, limits);
      await db.insertInto('portal_sessions').values(session).execute();
    });
    return id;
  }

  async resume(sessionId: string, limits: SessionLimits, activity: boolean): Promise<string | undefined> {
    const now = this.clock();
    const live = (eb: Sessions) =>
      eb.and([
        eb('id_hash', '=', sessionKey(sessionId)),
        eb('revoked_at', 'is', null),
        eb('signed_in_at', '>', now - limits.absoluteMs),
        eb('last_seen_at', '>', now - limits.idleMs),
      ]);
    const { db } = this.sql;
    const used = db.updateTable('portal_sessions').set({ last_seen_at: now }).where(live);
    const row = activity
      ? await used.returning('principal_id').executeTakeFirst()
      : await db.selectFrom('portal_sessions').select('principal_id').where(live).executeTakeFirst();
    return row?.principal_id;
  }

  async revoke(sessionId: string): Promise<void> {
    const live = (eb: Sessions) => eb.and({ id_hash: sessionKey(sessionId), revoked_at: null });
    await this.sql.db.updateTable('portal_sessions').set({ revoked_at: this.clock() }).where(live).execute();
  }

  async purgeExpired(limits: SessionLimits): Promise<number> {
    return this.purge(this.sql.db, this.clock(), limits);
  }

  async find(sessionId: string): Promise<PortalSessionRecord | undefined> {
    const sessions = this.sql.db.selectFrom('portal_sessions').selectAll();
    const row = await sessions.where('id_hash', '=', sessionKey(sessionId)).executeTakeFirst();
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    return (
      row && {
        principalId: row.principal_id,
        signedInAt: iso(row.signed_in_at)!,
        lastSeenAt: iso(row.last_seen_at)!,
        revokedAt: iso(row.revoked_at),
      }
    );
  }

  private async purge(db: Db, now: number, limits: SessionLimits): Promise<number> {
    const expired = (eb: Sessions) =>
      eb.or([
        eb('revoked_at', 'is not', null),
        eb('signed_in_at', '<=', now - limits.absoluteMs),
        eb('last_seen_at', '<=', now - limits.idleMs),
      ]);
    const purged = await db.deleteFrom('portal_sessions').where(expired).executeTakeFirstOrThrow();
    return Number(purged.numDeletedRows);
  }
}
