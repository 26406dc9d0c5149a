import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import express from 'express';
import helmet from 'helmet';
import type { Directory } from '../ports/directory';
import type { IdempotencyKeys } from '../ports/idempotency-keys';
import type { PortalSessions } from '../ports/portal-sessions';
import type { PasswordSealer } from '../crypto/password-sealer';
import type { LifecyclePolicy } from '../domain/policy';
import type { Logger } from '../logger';
import { EngineMetrics } from '../metrics/engine-metrics';
import { httpMetrics, problemMetrics } from '../metrics/http-metrics';
import { metricsEndpoint } from '../metrics/metrics-endpoint';
import { authenticate } from './authenticate';
import { withinDeadline } from './deadline';
import { errorHandler } from './errors';
import { JSON_TYPES, requireJsonBodies } from './json-body';
import { requestLog } from './request-log';
import { rememberRouteBase } from './route-template';
import { openApiDocument } from './openapi';
import type { Principals } from './principals';
import { notFound } from './problem';
import { reply } from './reply';
import { RouteTable, type ApiRoute } from './route-table';
import { health, readiness } from './schemas/responses';
import { accountRoutes } from './routes/accounts';
import { API_REFERENCE_ASSETS, apiReferenceRoutes } from './routes/api-reference';
import type { BulkUploads } from '../ports/bulk-uploads';
import type { BulkSettings } from '../bulk/bulk-settings';
import { bulkUploadRoutes } from './routes/bulk-uploads';
import { codecRoutes, type CodecAccess } from './routes/codec';
import { leaverRoutes } from './routes/leavers';
import { referenceRoutes } from './routes/reference';
import {
  authenticationFailureLimit,
  DEFAULT_RATE_LIMITS,
  perPrincipalLimit,
  type RateLimits,
} from './rate-limit';
import type { MetricsAccess } from './security/metrics-access';
import { noStore } from './security/no-store';
import { DEFAULT_TRUST_PROXY, type TrustProxy } from './security/trust-proxy';
import { allowedHostsOnly } from './security/allowed-hosts';
import { principalsPerRequest } from './security/demo-principals';
import type { HostName } from './security/host-names';
import { ASSETS_PREFIX } from '../portal/assets';
import { pageRoutes, type PageRoute } from '../portal/page-routes';
import { portalRoutes } from '../portal/portal';
import type { PortalOptions } from '../portal/portal-options';
import { portalContentSecurityPolicy } from './security/content-security-policy';

export interface ApiDeps {
  client: Client;
  directory: Directory;
  principals: Principals;
  idempotency: IdempotencyKeys;
  bulkUploads: BulkUploads;
  /** The bulk upload's settings; their defaults unless given. */
  bulk?: BulkSettings;
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
  /** Whose X-Forwarded-For and X-Forwarded-Proto to believe (TRUST_PROXY); loopback only unless given. */
  trustProxy?: TrustProxy;
  /** Host names answered besides the loopback ones at the listening port (ALLOWED_HOSTS, the public URL's). */
  allowedHosts?: HostName[];
  /** The principals are the committed demo ones, whose tokens are published: for direct local requests only. */
  demoPrincipals?: boolean;
  /** The process's metrics, served at GET /metrics; a registry of the app's own unless given. */
  metrics?: EngineMetrics;
  /** Who may read /metrics besides this machine. */
  metricsAccess?: MetricsAccess;
  /** The administrators' portal at `/`; without it, the process serves the API alone. */
  portal?: PortalOptions;
  /** The portal's sessions: needed with `portal`. */
  portalSessions?: PortalSessions;
}

const ROUTES = new WeakMap<express.Express, RouteTable>();
const PORTAL_ROUTES = new WeakMap<express.Express, PageRoute[]>();

/** The routes an app made by createApp has, with their methods. */
export function apiRoutes(app: express.Express): ApiRoute[] {
  return ROUTES.get(app)?.routes ?? [];
}

/** The portal's routes (pages, fragments, forms) in an app made by createApp with a portal. */
export function portalPageRoutes(app: express.Express): PageRoute[] {
  return PORTAL_ROUTES.get(app) ?? [];
}

/** Paths of the API, which the portal never answers. */
const API_PATHS = /^\/(v1|codec|docs)(\/|$)|^\/(healthz|readyz|openapi\.json|metrics)$/;

/** The HTTP API: authenticates, validates and authorises, and leaves the account's state to its workflow. */
export function createApp(deps: ApiDeps): express.Express {
  const app = express();
  const metrics = deps.metrics ?? new EngineMetrics();
  app.disable('x-powered-by');
  // req.ip (the failed-authentication limit's key) and req.secure (Secure cookies) as a trusted proxy says.
  app.set('trust proxy', deps.trustProxy ?? DEFAULT_TRUST_PROXY);
  // Answers are no-store (below): nothing keeps them to revalidate, so no body is hashed for an ETag.
  app.disable('etag');
  app.use(httpMetrics(metrics));
  app.use(helmet(deps.portal ? portalContentSecurityPolicy(deps.portal.secureCookies) : undefined));
  app.use(noStore(deps.portal ? [ASSETS_PREFIX, API_REFERENCE_ASSETS] : [API_REFERENCE_ASSETS]));
  app.use(requestLog(deps.logger));
  app.use(allowedHostsOnly(deps.allowedHosts ?? []));
  app.use(principalsPerRequest(deps.principals, deps.demoPrincipals ?? false));

  const probes = express.Router();
  probes.get('/healthz', (_req, res) => {
    const running = deps.isWorkerRunning?.() ?? true;
    reply(res, health, { status: running ? 'ok' : 'worker not running' }, running ? 200 : 503);
  });
  probes.get('/readyz', async (_req, res) => {
    const temporal = await withinDeadline(
      deps.client,
      () => deps.client.workflowService.getSystemInfo({}),
      2000,
    )
      .then(() => true)
      .catch(() => false);
    const worker = deps.isWorkerRunning?.() ?? 'separate';
    const reason = !temporal
      ? 'waiting for Temporal: it does not answer'
      : !worker
        ? 'the worker is not running'
        : undefined;
    reply(res, readiness, { temporal, worker, ...(reason ? { reason } : {}) }, reason ? 503 : 200);
  });
  const openapi = openApiDocument();
  probes.get('/openapi.json', (_req, res) => void res.json(openapi));
  const apiReference = apiReferenceRoutes();

  const rateLimits = deps.rateLimits ?? DEFAULT_RATE_LIMITS;
  const countingFailures = authenticationFailureLimit(rateLimits);
  probes.get('/metrics', metricsEndpoint(metrics.registry, deps.metricsAccess ?? {}, countingFailures));
  const codec = codecRoutes(deps.codec, deps.codecAccess, countingFailures);

  const v1 = express.Router();
  const authenticated = authenticate();
  v1.use(countingFailures((req, res) => authenticated(req, res, () => undefined)));
  const perPrincipal = perPrincipalLimit(rateLimits);
  v1.use(perPrincipal);
  v1.use(requireJsonBodies(['/bulk-uploads']));
  v1.use(express.json({ limit: deps.bodyLimit, type: JSON_TYPES }));
  const routers: [string, express.Router][] = [
    ['/accounts', accountRoutes(deps)],
    ['/bulk-uploads', bulkUploadRoutes(deps)],
    ['/leavers', leaverRoutes(deps.directory)],
    ['/reference', referenceRoutes()],
  ];
  for (const [base, router] of routers) v1.use(base, rememberRouteBase, router);

  // A path of the API answers a method it does not have 405 with Allow, before any router takes it.
  const routes = new RouteTable()
    .addRouter('', probes)
    .addRouter('', apiReference)
    .addRouter('/codec', codec, { ownOptions: true });
  for (const [base, router] of routers) routes.addRouter(`/v1${base}`, router);
  ROUTES.set(app, routes);
  app.use(routes.methodGuard());
  app.use(probes);
  app.use(apiReference);
  app.use('/codec', rememberRouteBase, codec);
  app.use('/v1', v1);

  if (deps.portal) {
    if (!deps.portalSessions) throw new Error('The portal needs its session store (portalSessions)');
    const portal = portalRoutes(
      { ...deps, portal: deps.portal, portalSessions: deps.portalSessions },
      { perPrincipal, countingFailures },
    );
    PORTAL_ROUTES.set(app, pageRoutes(portal));
    app.use((req, res, next) => (API_PATHS.test(req.path) ? next() : portal(req, res, next)));
  }

  app.use((req) => {
    throw notFound(`No route ${req.method} ${req.path}.`);
  });
  app.use(errorHandler(deps.logger, problemMetrics(metrics)));
  return app;
}
