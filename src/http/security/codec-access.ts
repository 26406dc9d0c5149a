import type { Request, Response } from 'express';
import { bearerToken } from './bearer-token';
import { Problem, forbidden } from '../problem';
import { principalsOf, unknownTokenDetail } from './demo-principals';
import { directFromThisMachine } from './loopback';

export interface CodecAccess {
  /** Origins of Temporal Web that may call the codec from the browser. */
  allowedOrigins: string[];
  /**
   * Let callers on this machine in without a token: an explicit opt-in (CODEC_TRUST_LOOPBACK) of the
   * embedded run, where Temporal Web, the API and the operator are all on one machine. The configuration
   * refuses it against a real cluster or with the API listening beyond loopback.
   */
  trustLoopback: boolean;
}

/** Loopback trust applies: enabled, a loopback peer, and nothing saying the request was relayed. */
function trustedAsLocal(req: Request, access: CodecAccess): boolean {
  return access.trustLoopback && directFromThisMachine(req);
}

/**
 * Who may use the codec: a national administrator's token, or, with loopback trust, a direct local
 * caller. A token that is present but not valid is 401, never a fallback to loopback trust. A valid
 * token of another principal adds nothing and takes nothing away: on a trusted loopback call it is
 * treated as no token (a token never leaves a caller worse off than none); anywhere else it is 403.
 */
export function authoriseCodecCaller(req: Request, res: Response, access: CodecAccess): void {
  if (req.get('authorization') !== undefined) {
    const token = bearerToken(req);
    const principal = token ? principalsOf(res).find(token) : undefined;
    if (!principal) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      throw new Problem(401, 'Unauthorized', unknownTokenDetail(res, 'The bearer token is not known.'));
    }
    if (principal.kind === 'national-admin' || trustedAsLocal(req, access)) return;
    throw forbidden('Only national administrators may use the codec.');
  }
  if (trustedAsLocal(req, access)) return;
  res.setHeader('WWW-Authenticate', 'Bearer');
  throw new Problem(401, 'Unauthorized', 'The codec needs a national administrator bearer token.');
}
