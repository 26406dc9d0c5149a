import express, { type RequestHandler } from 'express';
import type { EngineMetrics } from '../../metrics/engine-metrics';
import { metricsEndpoint } from '../../metrics/metrics-endpoint';
import { withinDeadline } from '../../temporal/deadline';
import type { HttpDeps } from '../http-deps';
import type { CountingFailures } from '../rate-limit';
import { rememberRouteBase } from '../route-template';
import { authenticate } from './authenticate';
import { JSON_TYPES, requireJsonBodies } from '../json-body';
import { openApiDocument } from './openapi';
import { reply } from './reply';
import { RouteTable } from './route-table';
import { accountRoutes } from './routes/accounts';
import { auditRoutes } from './routes/audit';
import { apiReferenceRoutes } from './routes/api-reference';
import { bulkUploadRoutes } from './routes/bulk-uploads';
import { codecRoutes } from './routes/codec';
import { leaverRoutes } from './routes/leavers';
import { referenceRoutes } from './routes/reference';
import { health, readiness } from './schemas/responses';

/** Paths of the API, which the portal never answers. */
export const API_PATHS = /^\/(v1|codec|docs)(\/|$)|^\/(healthz|readyz|openapi\.json|metrics)$/;

/**
 * The HTTP API: the probes, the document and its viewer, the codec, and /v1, which authenticates, validates
 * and authorises through the operations, and leaves the account's state to its workflow. `routes` holds
 * every route with its methods, for the 405 guard in front of it.
 */
export function apiRouter(
  deps: HttpDeps,
  {
    metrics,
    countingFailures,
    perPrincipal,
  }: { metrics: EngineMetrics; countingFailures: CountingFailures; perPrincipal: RequestHandler },
): { router: express.Router; routes: RouteTable } {
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

  probes.get('/metrics', metricsEndpoint(metrics.registry, deps.metricsAccess ?? {}, countingFailures));
  const codec = codecRoutes(deps.codec, deps.codecAccess, countingFailures);

  const v1 = express.Router();
  const authenticated = authenticate();
  v1.use(countingFailures((req, res) => authenticated(req, res, () => undefined)));
  v1.use(perPrincipal);
  v1.use(requireJsonBodies(['/bulk-uploads']));
  v1.use(express.json({ limit: deps.bodyLimit, type: JSON_TYPES }));
  const routers: [string, express.Router][] = [
    ['/accounts', accountRoutes(deps)],
    ['/audit', auditRoutes(deps.audit)],
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
  const router = express.Router();
  router.use(routes.methodGuard());
  router.use(probes);
  router.use(apiReference);
  router.use('/codec', rememberRouteBase, codec);
  router.use('/v1', v1);
  return { router, routes };
}
