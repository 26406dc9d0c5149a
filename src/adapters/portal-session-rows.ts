import type { PortalSessionRecord } from '../ports/portal-sessions';

/** A portal_sessions row, as both databases return it (times in epoch milliseconds). */
export interface PortalSessionRow {
  principal_id: string;
  signed_in_at: number;
  last_seen_at: number;
  revoked_at: number | null;
}

export function portalSessionRecord(row: PortalSessionRow): PortalSessionRecord {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    principalId: row.principal_id,
    signedInAt: iso(row.signed_in_at),
    lastSeenAt: iso(row.last_seen_at),
    revokedAt: row.revoked_at === null ? null : iso(row.revoked_at),
  };
}
