import type { NextFunction, Request, Response } from 'express';
import { Problem } from '../problem';
import { bearerToken } from '../security/bearer-token';
import { principalsOf, unknownTokenDetail } from '../security/demo-principals';

/** R1: every call but health and the API description carries a bearer token naming a principal. */
export function authenticate() {
  return (req: Request, res: Response, next: NextFunction) => {
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
    next();
  };
}
