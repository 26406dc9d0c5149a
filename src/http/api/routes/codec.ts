import type { Payload, PayloadCodec } from '@temporalio/common';
import { JSONToPayload, payloadToJSON, type JSONPayload } from '@temporalio/common/lib/proto-utils';
import express, {
  Router,
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import { isEncrypted } from '../../../crypto/payload-codec';
import { Problem, badRequest, forbidden } from '../../problem';
import { authoriseCodecCaller, type CodecAccess } from '../../security/codec-access';

export type { CodecAccess } from '../../security/codec-access';

/**
 * The remote codec Temporal Web calls to show operators decoded payloads (POST /codec/decode) and to
 * encode what they send (POST /codec/encode). Only a national administrator's token, or a direct
 * loopback caller in the embedded run when trusted, may use it (see authoriseCodecCaller).
 */
export function codecRoutes(
  codec: PayloadCodec,
  access: CodecAccess,
  /** Runs the access check, counting its refusals against the caller's address (rate-limit.ts). */
  countingFailures: (check: (req: Request, res: Response) => void) => RequestHandler[],
): Router {
  const router = Router();
  router.use((req: Request, res: Response, next: NextFunction) => {
    const origin = req.get('origin');
    if (origin && access.allowedOrigins.includes(origin)) {
      res.set({
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Credentials': 'true',
        'Access-Control-Allow-Headers': 'Authorization, Content-Type, X-Namespace, X-Workflow-Id',
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
    next();
  });
  router.use(countingFailures((req, res) => authoriseCodecCaller(req, res, access)));
  router.use(express.json({ limit: '4mb' }));

  const handle =
    (transform: (payload: Payload, req: Request) => Promise<Payload>) =>
    async (req: Request, res: Response) => {
      const payloads = (req.body as { payloads?: unknown })?.payloads;
      if (!Array.isArray(payloads)) {
        throw badRequest([{ path: 'payloads', message: 'payloads must be a list' }]);
      }
      const result: Payload[] = [];
      for (const [i, json] of payloads.entries()) {
        try {
          result.push(await transform(JSONToPayload(json as JSONPayload), req));
        } catch (err) {
          // The reason (an unknown key id, a failed authentication tag) is for the logs, not the caller.
          req.log?.warn({ reason: (err as Error).message, index: i }, 'codec refused a payload');
          throw new Problem(400, 'Invalid request', 'The payloads could not be read.', [
            { path: `payloads[${i}]`, message: 'Not a payload this codec can read' },
          ]);
        }
      }
      res.json({ payloads: result.map(payloadToJSON) });
    };

  router.post(
    '/encode',
    (req, _res, next) => {
      if (!req.get('x-workflow-id')) {
        throw badRequest([
          {
            path: 'X-Workflow-Id',
            message: 'Payloads are encrypted for their workflow: send its id in X-Workflow-Id',
          },
        ]);
      }
      next();
    },
    handle(async (payload, req) => {
      const context = {
        type: 'workflow' as const,
        namespace: req.get('x-namespace') ?? 'default',
        workflowId: req.get('x-workflow-id')!,
      };
      return (await codec.encode([payload], context))[0]!;
    }),
  );
  // Temporal Web sends every payload of a history, also ones written in plain text (by a server or a
  // tool): those are shown as they are; encrypted ones are checked against the workflow they name.
  router.post(
    '/decode',
    handle(async (payload) => (isEncrypted(payload) ? (await codec.decode([payload]))[0]! : payload)),
  );
  return router;
}
