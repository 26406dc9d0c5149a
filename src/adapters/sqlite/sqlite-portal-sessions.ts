import {
  newSessionId,
  sessionKey,
  type PortalSessionRecord,
  type PortalSessions,
  type SessionLimits,
} from '../../ports/portal-sessions';
import { portalSessionRecord, type PortalSessionRow } from '../portal-session-rows';
import type { Db } from './database';

const LIVE = 'revoked_at IS NULL AND signed_in_at > ? AND last_seen_at > ?';

/** Portal sessions in the embedded database, shared by the processes on its host. */
export class SqlitePortalSessions implements PortalSessions {
  constructor(
    private readonly db: Db,
    private readonly clock: () => number = Date.now,
  ) {}

  async start(principalId: string, limits: SessionLimits): Promise<string> {
    const id = newSessionId();
    const now = this.clock();
    this.db.transaction(() => {
      this.purge(now, limits);
      this.db
        .prepare(
          `INSERT INTO portal_sessions (id_hash, principal_id, signed_in_at, last_seen_at) VALUES (?, ?, ?, ?)`,
        )
        .run(sessionKey(id), principalId, now, now);
    })();
    return id;
  }

  async resume(sessionId: string, limits: SessionLimits, activity: boolean): Promise<string | undefined> {
    const now = this.clock();
    const live = [sessionKey(sessionId), now - limits.absoluteMs, now - limits.idleMs] as const;
    const row = activity
      ? this.db
          .prepare(
            `UPDATE portal_sessions SET last_seen_at = ? WHERE id_hash = ? AND ${LIVE} RETURNING principal_id`,
          )
          .get(now, ...live)
      : this.db
          .prepare(`SELECT principal_id FROM portal_sessions WHERE id_hash = ? AND ${LIVE}`)
          .get(...live);
    return (row as { principal_id: string } | undefined)?.principal_id;
  }

  async revoke(sessionId: string): Promise<void> {
    this.db
      .prepare('UPDATE portal_sessions SET revoked_at = ? WHERE id_hash = ? AND revoked_at IS NULL')
      .run(this.clock(), sessionKey(sessionId));
  }

  async purgeExpired(limits: SessionLimits): Promise<number> {
    return this.purge(this.clock(), limits);
  }

  async find(sessionId: string): Promise<PortalSessionRecord | undefined> {
    const row = this.db
      .prepare('SELECT * FROM portal_sessions WHERE id_hash = ?')
      .get(sessionKey(sessionId)) as PortalSessionRow | undefined;
    return row && portalSessionRecord(row);
  }

  private purge(now: number, limits: SessionLimits): number {
    return this.db
      .prepare(
        `DELETE FROM portal_sessions
         WHERE revoked_at IS NOT NULL OR signed_in_at <= ? OR last_seen_at <= ?`,
      )
      .run(now - limits.absoluteMs, now - limits.idleMs).changes;
  }
}
