import type { NextFunction, Request, Response } from 'express';
import { ADMINS } from '../../access/rights';
import { requireKind } from '../../operations/caller';
import type { Principal } from '../../access/principals';
import { principalsOf } from '../security/demo-principals';
import { Problem } from '../problem';
import { sessionPrincipalId } from './session';

/**
 * R1: the live session's principal, looked up again in the principals file on every request (so a removed
 * principal is signed out at once), with exactly the rights it has in the API. Pages without a session
 * send the browser to /sign-in; forms are refused 401.
 */
export function requireSignIn() {
  return (req: Request, res: Response, next: NextFunction) => {
    const id = sessionPrincipalId(res);
    const principal = id ? principalsOf(res).byId(id) : undefined;
    if (!principal) {
      if (req.method === 'GET') return res.redirect(303, '/sign-in');
      throw new Problem(401, 'Unauthorized', 'Your session has ended: sign in again.');
    }
    requireKind(principal, ADMINS);
    res.locals.principal = principal;
    next();
  };
}

export function signedInPrincipal(res: Response): Principal {
  return res.locals.principal as Principal;
}
