import crypto from 'node:crypto';
import { csrfSync } from 'csrf-sync';
import type { Request } from 'express';
import { sessionOf } from './session';

const digest = (token: string) => crypto.createHash('sha256').update(token).digest();

/**
 * Whether a form's token is the session's, compared in constant time: SHA-256 digests of both (equal
 * lengths whatever was sent) through `crypto.timingSafeEqual`, so the time taken tells nothing of how
 * much of a guess was right.
 */
export function sameToken(sent: unknown, expected: string | undefined): boolean {
  if (typeof sent !== 'string' || expected === undefined) return false;
  return crypto.timingSafeEqual(digest(sent), digest(expected));
}

/**
 * CSRF protection on every form (the synchronizer token pattern, csrf-sync): the token lives in the
 * sealed session cookie and in each form's `_csrf` field. csrf-sync compares the two with `===`, so the
 * form's token reaches it only once `sameToken` has matched it, as the session's own string.
 */
export const { csrfSynchronisedProtection: csrfProtection } = csrfSync({
  getTokenFromState: (req: Request) => sessionOf(req.res!).csrfToken,
  storeTokenInState: (req: Request, token) => {
    sessionOf(req.res!).csrfToken = token ?? undefined;
  },
  getTokenFromRequest: (req: Request) => {
    const expected = sessionOf(req.res!).csrfToken;
    const sent = (req.body as { _csrf?: unknown } | undefined)?._csrf;
    return sameToken(sent, expected) ? expected : undefined;
  },
  errorConfig: {
    statusCode: 403,
    code: 'EBADCSRFTOKEN',
    message: 'This form has expired or did not come from this portal.',
  },
});
