import crypto from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { getIronSession, type IronSession } from 'iron-session';
import type { PortalSessions, SessionLimits } from '../../ports/portal-sessions';
import type { PortalOptions } from './portal-options';

/**
 * What the session cookie holds, sealed (encrypted and signed): the id of a server-side session record
 * once signed in, the form token and a one-time message; never a token, a password or the principal.
 */
export interface PortalSession {
  sid?: string;
  csrfToken?: string;
  flash?: string;
}

/** The session cookie's name: `__Host-` where the cookie is Secure, so no subdomain can set it. */
export const sessionCookieName = (secure: boolean) => (secure ? '__Host-nhsmail-portal' : 'nhsmail-portal');

/** The header the portal's own script sends with a page's live refresh, which is not a person's use. */
export const LIVE_REFRESH_HEADER = 'X-Live-Refresh';

/**
 * Whether the portal's cookies are Secure: always where the portal is served beyond loopback or at an https
 * public URL, and for a request that came over TLS, as a trusted proxy's X-Forwarded-Proto says (TRUST_PROXY).
 */
export const secureCookie = (req: Request, options: Pick<PortalOptions, 'secureCookies'>) =>
  options.secureCookies || req.secure;

export const sessionLimits = (options: PortalOptions): SessionLimits => ({
  absoluteMs: options.sessionTtlSeconds * 1000,
  idleMs: options.sessionIdleSeconds * 1000,
});

/**
 * The session: an iron-session cookie (HttpOnly, SameSite=Strict, Secure but on plain HTTP) holding the id
 * of a record in the session store, which says whose it is, until when, and whether it was signed out.
 * A session past its idle time or its absolute lifetime, or signed out, is over: the cookie keeps only a
 * fresh form token.
 */
export function loadSession(options: PortalOptions, sessions: PortalSessions) {
  const limits = sessionLimits(options);
  return async (req: Request, res: Response, next: NextFunction) => {
    const secure = secureCookie(req, options);
    const session = await getIronSession<PortalSession>(req, res, {
      cookieName: sessionCookieName(secure),
      password: options.sessionPasswords,
      ttl: options.sessionTtlSeconds,
      cookieOptions: { httpOnly: true, sameSite: 'strict', secure, path: '/' },
    });
    let principalId: string | undefined;
    if (session.sid) {
      principalId = await sessions.resume(session.sid, limits, req.get(LIVE_REFRESH_HEADER) === undefined);
      if (!principalId) {
        delete session.sid;
        delete session.flash;
        session.csrfToken = newToken();
        await session.save();
      }
    }
    if (!session.csrfToken) {
      session.csrfToken = newToken();
      await session.save();
    }
    res.locals.session = session;
    res.locals.sessionPrincipalId = principalId;
    next();
  };
}

export const newToken = () => crypto.randomBytes(32).toString('base64url');

export function sessionOf(res: Response): IronSession<PortalSession> {
  return res.locals.session as IronSession<PortalSession>;
}

/** The principal id of the request's live session, if it has one. */
export function sessionPrincipalId(res: Response): string | undefined {
  return res.locals.sessionPrincipalId as string | undefined;
}

/** A one-time message for the next page ("Notes saved."): it changes the cookie, never the session's life. */
export async function setFlash(res: Response, text: string): Promise<void> {
  const session = sessionOf(res);
  session.flash = text;
  await session.save();
}

export async function takeFlash(res: Response): Promise<string | undefined> {
  const session = sessionOf(res);
  const flash = session.flash;
  if (flash !== undefined) {
    delete session.flash;
    await session.save();
  }
  return flash;
}
