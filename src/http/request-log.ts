import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, Response } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../logger';
import type { Principal } from '../access/principals';
import { routeTemplate } from './route-template';

/** A request id the caller may choose (`X-Request-Id`), if it is a plain one; else a new one. */
function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : crypto.randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/**
 * What an operator needs of a request, one short line each: its method, its route's template (never a path
 * with an address in it, nor a query, which may be a name or a mobile number searched for), the status, how
 * long it took, its request id and who made it. No header, cookie or body is logged.
 */
function requestLine(req: IncomingMessage, res: ServerResponse, durationMs: number) {
  const principal = (res as Response).locals?.principal as Principal | undefined;
  return {
    method: req.method,
    route: routeTemplate(req as Request, res as Response),
    status: res.statusCode,
    durationMs,
    principal: principal?.id,
  };
}

/** Logs each request as it ends; `req.log` carries its request id to any other line about it. */
export function requestLog(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: requestId,
    quietReqLogger: true,
    quietResLogger: true,
    customAttributeKeys: { reqId: 'requestId' },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessObject: (req, res, val: { responseTime: number }) => requestLine(req, res, val.responseTime),
    customErrorObject: (req, res, _err, val: { responseTime: number }) =>
      requestLine(req, res, val.responseTime),
    customSuccessMessage: () => 'request',
    customErrorMessage: () => 'request',
  });
}
