import crypto from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import express from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Directory } from '../ports/directory';
import type { PasswordSealer } from '../crypto/password-sealer';
import type { LifecyclePolicy } from '../domain/policy';
import type { Logger } from '../logger';
import { authenticate } from './authenticate';
import { withinDeadline } from './deadline';
import { errorHandler } from './errors';
import { requireJsonBodies } from './json-body';
import type { IdempotencyKeys } from './idempotency';
import { openApiDocument } from './openapi';
import type { Principals } from './principals';
import { notFound } from './problem';
import { accountRoutes } from './routes/accounts';
import { codecRoutes, type CodecAccess } from './routes/codec';
import { leaverRoutes } from './routes/leavers';
import { referenceRoutes } from './routes/reference';
import {
  authenticationFailureLimit,
  DEFAULT_RATE_LIMITS,
  perPrincipalLimit,
  type RateLimits,
} from './rate-limit';
import { noStore } from './security/no-store';

export interface ApiDeps {
  client: Client;
  directory: Directory;
  principals: Principals;
  idempotency: IdempotencyKeys;
  sealer: PasswordSealer;
  codec: PayloadCodec;
  codecAccess: CodecAccess;
  taskQueue: string;
  policy: LifecyclePolicy;
  logger: Logger;
  bodyLimit: string;
  /** Whether this process's worker runs; undefined when the workers run in processes of their own. */
  isWorkerRunning?: () => boolean;
  rateLimits?: RateLimits;
}

/** The HTTP API: authenticates, validates and authorises, and leaves the account's state to its workflow. */
export function createApp(deps: ApiDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(helmet());
  app.use(noStore());
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : crypto.randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
    }),
  );

  app.get('/healthz', (_req, res) => {
    const running = deps.isWorkerRunning?.() ?? true;
    res.status(running ? 200 : 503).json({ status: running ? 'ok' : 'worker not running' });
  });
  app.get('/readyz', async (_req, res) => {
    const temporal = await withinDeadline(
      deps.client,
      () => deps.client.workflowService.getSystemInfo({}),
      2000,
    )
      .then(() => true)
      .catch(() => false);
    const worker = deps.isWorkerRunning?.() ?? 'separate';
    res.status(temporal && worker ? 200 : 503).json({ temporal, worker });
  });
  const openapi = openApiDocument();
  app.get('/openapi.json', (_req, res) => void res.json(openapi));

  const rateLimits = deps.rateLimits ?? DEFAULT_RATE_LIMITS;
  const countingFailures = authenticationFailureLimit(rateLimits);
  app.use('/codec', codecRoutes(deps.codec, deps.principals, deps.codecAccess, countingFailures));

  const v1 = express.Router();
  const authenticated = authenticate(deps.principals);
  v1.use(countingFailures((req, res) => authenticated(req, res, () => undefined)));
  v1.use(perPrincipalLimit(rateLimits));
  v1.use(requireJsonBodies());
  v1.use(express.json({ limit: deps.bodyLimit, type: ['application/json', 'application/*+json'] }));
  v1.use('/accounts', accountRoutes(deps));
  v1.use('/leavers', leaverRoutes(deps.directory));
  v1.use('/reference', referenceRoutes());
  app.use('/v1', v1);

  app.use((req) => {
    throw notFound(`No route ${req.method} ${req.path}.`);
  });
  app.use(errorHandler(deps.logger));
  return app;
}
