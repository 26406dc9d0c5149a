import type { NextFunction, Request, Response } from 'express';

/**
 * `Cache-Control: no-store` on every answer, so no browser or proxy keeps a temporary password or
 * personal data: the API, the codec, errors, and any page added later. Static assets, which hold
 * neither, are the exception: their path prefixes are given here.
 */
export function noStore(staticPrefixes: readonly string[] = []) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!staticPrefixes.some((prefix) => req.path.startsWith(prefix)))
      res.setHeader('Cache-Control', 'no-store');
    next();
  };
}
