import type { NextFunction, Request, Response } from 'express';
import { Problem } from '../problem';
import type { Principal } from '../../access/principals';
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

/** The token of an `Authorization: Bearer <token>` header, if there is one. */
export function bearerToken(req: Request): string | undefined {
  return /^Bearer ([\x21-\x7e]{1,512})$/i.exec(req.get('authorization') ?? '')?.[1];
}

export function principalOf(res: Response): Principal {
  return res.locals.principal as Principal;
}
