import type { NextFunction, Request, Response } from 'express';
import { Problem } from './problem';

/** The media types the API reads as JSON. */
export const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * A request that carries a body must say it is JSON: a body of another or no content type answers 415
 * naming the header, rather than a puzzling "the body must be a JSON object". Paths in `otherTypes` take
 * their own content types (the path and any below it).
 */
export function requireJsonBodies(otherTypes: string[] = []) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const hasBody = Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
    if (
      !hasBody ||
      otherTypes.some((p) => req.path === p || req.path.startsWith(`${p}/`)) ||
      req.is(JSON_TYPES)
    )
      return next();
    const given = req.get('content-type');
    throw new Problem(
      415,
      'Unsupported media type',
      given
        ? `The body is ${given.split(';')[0]}: send it as JSON, with Content-Type: application/json.`
        : 'The request has a body but no Content-Type: send it as JSON, with Content-Type: application/json.',
    );
  };
}
