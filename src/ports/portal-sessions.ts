import crypto from 'node:crypto';

/** How long a portal session lives: from its sign-in at most, and from its last use. */
export interface SessionLimits {
  absoluteMs: number;
  idleMs: number;
}

/** A portal session as its store keeps it (times in ISO 8601). */
export interface PortalSessionRecord {
  principalId: string;
  signedInAt: string;
  lastSeenAt: string;
  revokedAt: string | null;
}

/**
 * The portal's sessions, kept server-side so that signing out ends one for good (a copied cookie included),
 * and so that a session ends at its absolute lifetime or after its idle time, however its cookie was kept.
 * The cookie holds only the session id; the store keeps the id's SHA-256, never the id. Shared by every
 * API process.
 */
export interface PortalSessions {
  /** Records a session of the principal signed in now, and purges the expired ones; the new session's id. */
  start(principalId: string, limits: SessionLimits): Promise<string>;
  /**
   * The principal of a live session (not revoked, within both limits), or undefined. A person's request
   * (`activity`) moves its last use to now; a page's own refresh leaves it, so that it cannot keep an idle
   * session alive.
   */
  resume(sessionId: string, limits: SessionLimits, activity: boolean): Promise<string | undefined>;
  /** Ends the session at once: its cookie, or any copy of it, no longer signs anyone in. */
  revoke(sessionId: string): Promise<void>;
  /** Removes the sessions revoked or past either limit; how many. */
  purgeExpired(limits: SessionLimits): Promise<number>;
  /** The record of a session, expired or not, until it is purged. */
  find(sessionId: string): Promise<PortalSessionRecord | undefined>;
}

/** A new session id: 256 random bits. */
export const newSessionId = () => crypto.randomBytes(32).toString('base64url');

/** What the store keys a session by: a stolen copy of the store holds no session id that a cookie could carry. */
export const sessionKey = (sessionId: string) => crypto.createHash('sha256').update(sessionId).digest('hex');
