import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit, type AugmentedRequest } from 'express-rate-limit';
import { principalOf } from './request-principal';
import { Problem } from './problem';

export interface RateLimits {
  /** Requests one principal may make to /v1 in a minute. */
  perPrincipalPerMinute: number;
  /** Requests one SCIM client may make to /scim/v2 in a minute (R33): feeds send bursts at a sync. */
  scimPerClientPerMinute?: number;
  /** Failed authentications one client address may make in a window; then it is refused until the window ends. */
  authFailures: number;
  authFailureWindowMs: number;
}

/** Generous: an administrator's screen, a script or a benchmark of a few hundred creates stays well inside. */
export const DEFAULT_RATE_LIMITS = {
  perPrincipalPerMinute: 600,
  scimPerClientPerMinute: 1200,
  authFailures: 50,
  authFailureWindowMs: 15 * 60 * 1000,
} satisfies Required<RateLimits>;

const tooMany = (detail: string) => new Problem(429, 'Too many requests', detail);

// X-Forwarded-For is believed from trusted proxies only (TRUST_PROXY), as req.ip says; from others it is ignored.
const validate = { xForwardedForHeader: false } as const;

/** The per-principal limit on /v1, after authentication; 429 with Retry-After beyond it. */
export function perPrincipalLimit(
  limits: RateLimits,
  perMinute = limits.perPrincipalPerMinute,
): RequestHandler {
  return rateLimit({
    windowMs: 60 * 1000,
    limit: perMinute,
    keyGenerator: (_req, res) => principalOf(res).id,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    validate,
    handler: (_req, _res, next) =>
      next(tooMany(`More than ${perMinute} requests in a minute: wait for Retry-After.`)),
  });
}

function retryAfterSeconds(resetTime: Date | undefined, windowMs: number): number {
  const waitMs = resetTime ? resetTime.getTime() - Date.now() : windowMs;
  return Math.max(1, Math.ceil(waitMs / 1000));
}

/** The real client's address: req.ip, from a trusted proxy's X-Forwarded-For, else the peer's (an IPv6 client by its /56). */
const clientAddress = (req: Request) => ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown');

/**
 * Limits failed authentications per client address. Only failures count (in-flight valid requests
 * never do), and once an address is over the limit it is refused before any token is looked at, so
 * guessing on cannot tell a right token from a wrong one. `check` throws a 401 Problem to refuse.
 */
/**
 * Runs a check of the caller, counting its refusals against the caller's address: the failed-authentication
 * limit, shared by the API and the portal, so that guessing by page or by API counts alike.
 */
export type CountingFailures = (check: (req: Request, res: Response) => void) => RequestHandler[];

export function authenticationFailureLimit(limits: RateLimits): CountingFailures {
  const refused = () => tooMany('Too many failed authentications from this address: wait for Retry-After.');
  const failures = rateLimit({
    windowMs: limits.authFailureWindowMs,
    limit: limits.authFailures,
    keyGenerator: clientAddress,
    skip: (_req, res) => res.locals.authFailure === undefined,
    standardHeaders: false,
    legacyHeaders: false,
    validate,
    handler: (req, res, next) => {
      res.setHeader(
        'Retry-After',
        retryAfterSeconds((req as AugmentedRequest).rateLimit?.resetTime, limits.authFailureWindowMs),
      );
      next(refused());
    },
  });
  return (check: (req: Request, res: Response) => void): RequestHandler[] => [
    async (req: Request, res: Response, next: NextFunction) => {
      const seen = await failures.getKey(clientAddress(req));
      if (!seen || seen.totalHits < limits.authFailures) return next();
      res.setHeader('Retry-After', retryAfterSeconds(seen.resetTime, limits.authFailureWindowMs));
      next(refused());
    },
    (req: Request, res: Response, next: NextFunction) => {
      try {
        check(req, res);
      } catch (err) {
        if (!(err instanceof Problem && err.status === 401)) throw err;
        res.locals.authFailure = err;
      }
      next();
    },
    failures,
    (_req: Request, res: Response, next: NextFunction) => {
      if (res.locals.authFailure) throw res.locals.authFailure;
      next();
    },
  ];
}
