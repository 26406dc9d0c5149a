import type { Request, Response } from 'express';
import { Problem } from '../problem';
import { bearerToken } from './bearer-token';
import { principalsOf, unknownTokenDetail } from './demo-principals';

/** R1: the principal the request's bearer token names, kept in `res.locals`; 401 without one. */
export function authenticatePrincipal(req: Request, res: Response): void {
  const token = bearerToken(req);
  const principal = token ? principalsOf(res).find(token) : undefined;
  if (!principal) {
    res.setHeader('WWW-Authenticate', 'Bearer');
    throw new Problem(
      401,
      'Unauthorized',
      token
        ? unknownTokenDetail(res, 'The bearer token is not known.')
        : 'Send a bearer token: Authorization: Bearer <token>.',
    );
  }
  res.locals.principal = principal;
}
