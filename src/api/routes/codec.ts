import type { Payload, PayloadCodec } from '@temporalio/common';
import { JSONToPayload, payloadToJSON, type JSONPayload } from '@temporalio/common/lib/proto-utils';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { bearerToken } from '../authenticate';
import { ApiError, forbidden } from '../problem';
import type { Principals } from '../principals';

export interface CodecAccess {
  /** Origins of Temporal Web that may call the codec from the browser. */
  allowedOrigins: string[];
  /** Let loopback callers in without a token: the embedded run, where all of it is on one machine. */
  trustLoopback: boolean;
}

/**
 * The remote codec Temporal Web calls to show operators decoded payloads (POST /codec/decode) and to
 * encode what they send (POST /codec/encode). Only a national administrator's token, or a loopback
 * caller in the embedded run, may use it.
 */
export function codecRoutes(codec: PayloadCodec, principals: Principals, access: CodecAccess): Router {
  const router = Router();
  router.use((req: Request, res: Response, next: NextFunction) => {
    const origin = req.get('origin');
    if (origin && access.allowedOrigins.includes(origin)) {
      res.set({
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Credentials': 'true',
        'Access-Control-Allow-Headers': 'Authorization, Content-Type, X-Namespace',
        'Access-Control-Allow-Methods': 'POST, OPTIONS',
        Vary: 'Origin',
      });
    }
    if (req.method === 'OPTIONS') {
      res.sendStatus(204);
      return;
    }
    if (origin && !access.allowedOrigins.includes(origin))
      throw forbidden(`Origin ${origin} may not use the codec.`);
    const token = bearerToken(req);
    const principal = token ? principals.find(token) : undefined;
    if (principal?.kind === 'national-admin') return next();
    if (!principal && access.trustLoopback && isLoopback(req.socket.remoteAddress)) return next();
    if (!principal) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      throw new ApiError(401, 'Unauthorized', 'The codec needs a national administrator bearer token.');
    }
    throw forbidden('Only national administrators may decode payloads.');
  });
  router.use(express.json({ limit: '4mb' }));
  const handle =
    (transform: (payloads: Payload[]) => Promise<Payload[]>) => async (req: Request, res: Response) => {
      const payloads = (req.body as { payloads?: unknown })?.payloads;
      if (!Array.isArray(payloads)) {
        throw new ApiError(400, 'Invalid request', 'Send { "payloads": [...] }.', [
          { path: 'payloads', message: 'payloads must be a list' },
        ]);
      }
      let result: Payload[];
      try {
        result = await transform(payloads.map((p) => JSONToPayload(p as JSONPayload)));
      } catch (err) {
        throw new ApiError(400, 'Invalid request', 'The payloads could not be read.', [
          { path: 'payloads', message: `Not payloads this codec can read: ${(err as Error).message}` },
        ]);
      }
      res.json({ payloads: result.map(payloadToJSON) });
    };
  router.post(
    '/encode',
    handle((p) => codec.encode(p)),
  );
  router.post(
    '/decode',
    handle((p) => codec.decode(p)),
  );
  return router;
}

function isLoopback(address: string | undefined): boolean {
  return !!address && (address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.'));
}
