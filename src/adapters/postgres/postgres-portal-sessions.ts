import {
  newSessionId,
  sessionKey,
  type PortalSessionRecord,
  type PortalSessions,
  type SessionLimits,
} from '../../ports/portal-sessions';
import { portalSessionRecord, type PortalSessionRow } from '../portal-session-rows';
import type { Pool } from './database';

const LIVE = 'revoked_at IS NULL AND signed_in_at > $2 AND last_seen_at > $3';
const EXPIRED = 'revoked_at IS NOT NULL OR signed_in_at <= $1 OR last_seen_at <= $2';

/** Portal sessions in PostgreSQL, shared by every API process. */
export class PostgresPortalSessions implements PortalSessions {
  constructor(
    private readonly pool: Pool,
    private readonly clock: () => number = Date.now,
  ) {}

  async start(principalId: string, limits: SessionLimits): Promise<string> {
    const id = newSessionId();
    const now = this.clock();
    await this.purge(now, limits);
    await this.pool.query(
      'INSERT INTO portal_sessions (id_hash, principal_id, signed_in_at, last_seen_at) VALUES ($1, $2, $3, $3)',
      [sessionKey(id), principalId, now],
    );
    return id;
  }

  async resume(sessionId: string, limits: SessionLimits, activity: boolean): Promise<string | undefined> {
    const now = this.clock();
    const live = [sessionKey(sessionId), now - limits.absoluteMs, now - limits.idleMs];
    const { rows } = activity
      ? await this.pool.query<{ principal_id: string }>(
          `UPDATE portal_sessions SET last_seen_at = $4 WHERE id_hash = $1 AND ${LIVE} RETURNING principal_id`,
          [...live, now],
        )
      : await this.pool.query<{ principal_id: string }>(
          `SELECT principal_id FROM portal_sessions WHERE id_hash = $1 AND ${LIVE}`,
          live,
        );
    return rows[0]?.principal_id;
  }

  async revoke(sessionId: string): Promise<void> {
    await this.pool.query(
      'UPDATE portal_sessions SET revoked_at = $1 WHERE id_hash = $2 AND revoked_at IS NULL',
      [this.clock(), sessionKey(sessionId)],
    );
  }

  async purgeExpired(limits: SessionLimits): Promise<number> {
    return this.purge(this.clock(), limits);
  }

  async find(sessionId: string): Promise<PortalSessionRecord | undefined> {
    const { rows } = await this.pool.query<PortalSessionRow>(
      'SELECT * FROM portal_sessions WHERE id_hash = $1',
      [sessionKey(sessionId)],
    );
    return rows[0] && portalSessionRecord(rows[0]);
  }

  private async purge(now: number, limits: SessionLimits): Promise<number> {
    const { rowCount } = await this.pool.query(`DELETE FROM portal_sessions WHERE ${EXPIRED}`, [
      now - limits.absoluteMs,
      now - limits.idleMs,
    ]);
    return rowCount ?? 0;
  }
}
