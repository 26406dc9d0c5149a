import type { RequestHandler } from 'express';
import { ApiError } from './problem';

/** The media types the API reads as JSON. */
export const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * A body sent to a route that reads JSON in another media type is refused (415), rather than read as no
 * body at all and answered with the errors of an empty request. An empty body (Content-Length: 0) is none.
 */
export const jsonBodiesOnly: RequestHandler = (req, _res, next) => {
  if (!['POST', 'PUT', 'PATCH'].includes(req.method)) return next();
  const hasBody = Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
  if (hasBody && !req.is(JSON_TYPES)) {
    throw new ApiError(
      415,
      'Unsupported media type',
      'Send the body as JSON, with Content-Type: application/json.',
    );
  }
  next();
};
