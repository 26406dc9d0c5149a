import { csrfSync } from 'csrf-sync';
import type { Request } from 'express';
import { sessionOf } from './session';

/**
 * CSRF protection on every form (the synchronizer token pattern, csrf-sync): the token lives in the
 * sealed session cookie and in each form's `_csrf` field, compared in constant time on every POST.
 */
export const { csrfSynchronisedProtection: csrfProtection } = csrfSync({
  getTokenFromState: (req: Request) => sessionOf(req.res!).csrfToken,
  storeTokenInState: (req: Request, token) => {
    sessionOf(req.res!).csrfToken = token ?? undefined;
  },
  getTokenFromRequest: (req: Request) => (req.body as { _csrf?: string } | undefined)?._csrf,
  errorConfig: {
    statusCode: 403,
    code: 'EBADCSRFTOKEN',
    message: 'This form has expired or did not come from this portal.',
  },
});
