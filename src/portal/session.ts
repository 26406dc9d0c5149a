import crypto from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { getIronSession, type IronSession } from 'iron-session';
import type { PortalOptions } from './portal-options';

/** What the session cookie holds, sealed (encrypted and signed): never a token or a password. */
export interface PortalSession {
  principalId?: string;
  signedInAt?: string;
  csrfToken?: string;
  flash?: string;
}

/** The session cookie's name: `__Host-` where the cookie is Secure, so no subdomain can set it. */
export const sessionCookieName = (options: Pick<PortalOptions, 'secureCookies'>) =>
  options.secureCookies ? '__Host-nhsmail-portal' : 'nhsmail-portal';

/**
 * The session, from an iron-session cookie: HttpOnly, SameSite=Strict, Secure outside loopback, sealed
 * with a time to live, so no server keeps sessions and any API process can read them.
 */
export function loadSession(options: PortalOptions) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const session = await getIronSession<PortalSession>(req, res, {
      cookieName: sessionCookieName(options),
      password: options.sessionPasswords,
      ttl: options.sessionTtlSeconds,
      cookieOptions: { httpOnly: true, sameSite: 'strict', secure: options.secureCookies, path: '/' },
    });
    if (!session.csrfToken) {
      session.csrfToken = newToken();
      await session.save();
    }
    res.locals.session = session;
    next();
  };
}

export const newToken = () => crypto.randomBytes(32).toString('base64url');

export function sessionOf(res: Response): IronSession<PortalSession> {
  return res.locals.session as IronSession<PortalSession>;
}

/** A one-time message for the next page ("Notes saved."). */
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
