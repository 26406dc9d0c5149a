import type { Response } from 'express';
import type { Principal } from '../access/principals';

/** The principal the request is made by: its bearer token's (the API), or its session's (the portal). */
export function principalOf(res: Response): Principal {
  return res.locals.principal as Principal;
}
