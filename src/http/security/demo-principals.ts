import type { NextFunction, Request, Response } from 'express';
import { Principals } from '../../access/principals';
import { directFromThisMachine } from './loopback';

const NOBODY = new Principals([]);

/**
 * The principals a request may name. The committed demo principals' tokens are published: with them
 * (`demo`), only a request direct from this machine to a loopback Host names anyone; a relayed one (a
 * tunnel, port forwarding, a proxy) or one for another host name (DNS rebinding) names nobody, by token
 * or by session.
 */
export function principalsPerRequest(principals: Principals, demo: boolean) {
  return (req: Request, res: Response, next: NextFunction) => {
    const refused = demo && !directFromThisMachine(req);
    res.locals.principals = refused ? NOBODY : principals;
    res.locals.demoPrincipalsRefused = refused;
    next();
  };
}

/** The principals this request may name (principalsPerRequest). */
export function principalsOf(res: Response): Principals {
  const principals = res.locals.principals as Principals | undefined;
  if (!principals) throw new Error('principalsPerRequest has not run for this request');
  return principals;
}

/** Why a token names nobody, for its caller: `unknown`, or that the demo tokens are for this machine only. */
export function unknownTokenDetail(res: Response, unknown: string): string {
  return res.locals.demoPrincipalsRefused
    ? 'The demonstration tokens are accepted only from this machine, directly (not through a proxy or a ' +
        'tunnel): give this engine a PRINCIPALS_FILE of your own to serve others.'
    : unknown;
}
