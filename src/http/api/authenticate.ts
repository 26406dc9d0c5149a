import type { NextFunction, Request, Response } from 'express';
import { authenticatePrincipal } from '../security/authenticate-principal';

/** R1: every call but health and the API description carries a bearer token naming a principal. */
export function authenticate() {
  return (req: Request, res: Response, next: NextFunction) => {
    authenticatePrincipal(req, res);
    next();
  };
}
