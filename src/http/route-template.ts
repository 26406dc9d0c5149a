import type { Request, RequestHandler, Response } from 'express';

interface Noted {
  /** The path the router answering the request is mounted at (`req.baseUrl` is lost once an error unwinds). */
  routeBase?: string;
}

/** Mounted in front of each router: remembers where it is mounted, for the route template. */
export const rememberRouteBase: RequestHandler = (req, res, next) => {
  (res.locals as Noted).routeBase = req.baseUrl;
  next();
};

/**
 * The template of the route that answered (`/v1/accounts/:id`, never a path with an address in it), once
 * the answer is sent; "unmatched" when no route answered: unknown paths, and requests turned away before
 * their route (authentication, rate limits).
 */
export function routeTemplate(req: Request, res: Response): string {
  const path = req.route?.path as string | undefined;
  const base = (res.locals as Noted).routeBase ?? '';
  if (path === undefined) return 'unmatched';
  return path === '/' && base ? base : `${base}${path}`;
}
