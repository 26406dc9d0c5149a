import crypto from 'node:crypto';
import type { Request, Response } from 'express';
import { bearerToken } from './bearer-token';
import { Problem, forbidden } from '../problem';
import { directFromThisMachine } from './loopback';

export interface MetricsAccess {
  /** SHA-256 of METRICS_TOKEN, which a scraper on another machine presents; none: this machine only. */
  tokenSha256?: Buffer;
}

const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest();

export function metricsAccess(token: string | undefined): MetricsAccess {
  return token ? { tokenSha256: sha256(token) } : {};
}

/**
 * Who may read /metrics: a direct caller on this machine (a local Prometheus or agent), or one presenting
 * METRICS_TOKEN. Metrics hold no personal data, but they tell load, errors and refusals, so they are not
 * for anyone who can reach the API; the token is not a principal's, as a scraper needs no account access.
 * A token that is present but wrong is 401, never a fallback to the loopback rule.
 */
export function authoriseMetricsScraper(req: Request, res: Response, access: MetricsAccess): void {
  if (req.get('authorization') !== undefined) {
    const token = bearerToken(req);
    if (access.tokenSha256 && token && crypto.timingSafeEqual(sha256(token), access.tokenSha256)) return;
    res.setHeader('WWW-Authenticate', 'Bearer');
    throw new Problem(401, 'Unauthorized', 'The metrics token is not known.');
  }
  if (directFromThisMachine(req)) return;
  if (access.tokenSha256) {
    res.setHeader('WWW-Authenticate', 'Bearer');
    throw new Problem(401, 'Unauthorized', 'Send the metrics token: Authorization: Bearer <METRICS_TOKEN>.');
  }
  throw forbidden('Metrics are served to this machine only, unless METRICS_TOKEN is set.');
}
