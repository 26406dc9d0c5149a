import express from 'express';
import helmet from 'helmet';
import { EngineMetrics } from '../metrics/engine-metrics';
import { httpMetrics, problemMetrics } from '../metrics/http-metrics';
import { errorHandler } from './problem-of';
import { requestLog } from './request-log';
import { notFound } from './problem';
import { RouteTable, type ApiRoute } from './api/route-table';
import { API_PATHS, apiRouter } from './api/api';
import type { HttpDeps } from './http-deps';
import { API_REFERENCE_ASSETS } from './api/routes/api-reference';
import { authenticationFailureLimit, DEFAULT_RATE_LIMITS, perPrincipalLimit } from './rate-limit';
import { noStore } from './security/no-store';
import { DEFAULT_TRUST_PROXY } from './security/trust-proxy';
import { allowedHostsOnly } from './security/allowed-hosts';
import { principalsPerRequest } from './security/demo-principals';
import { ASSETS_PREFIX } from './portal/assets';
import { pageRoutes, type PageRoute } from './portal/page-routes';
import { portalRoutes } from './portal/portal';
import { portalContentSecurityPolicy } from './security/content-security-policy';
import { SCIM_BASE, scimRouter } from './scim/scim';

const ROUTES = new WeakMap<express.Express, ApiRoute[]>();
const PORTAL_ROUTES = new WeakMap<express.Express, PageRoute[]>();

/** The routes an app made by createApp has, with their methods. */
export function apiRoutes(app: express.Express): ApiRoute[] {
  return ROUTES.get(app) ?? [];
}

/** The portal's routes (pages, fragments, forms) in an app made by createApp with a portal. */
export function portalPageRoutes(app: express.Express): PageRoute[] {
  return PORTAL_ROUTES.get(app) ?? [];
}

/**
 * The engine's HTTP server: what every answer gets (metrics, security headers, no-store, the request log,
 * the host check, the principals a request may name), then the API (src/http/api) and the portal
 * (src/http/portal) side by side, neither knowing the other, and the problem answer of every error.
 */
export function createApp(deps: HttpDeps): express.Express {
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

  const rateLimits = deps.rateLimits ?? DEFAULT_RATE_LIMITS;
  const countingFailures = authenticationFailureLimit(rateLimits);
  const perPrincipal = perPrincipalLimit(rateLimits);

  // SCIM (R33), the API and the portal, side by side: the portal answers every path that is not theirs.
  const perScimClient = perPrincipalLimit(
    rateLimits,
    rateLimits.scimPerClientPerMinute ?? DEFAULT_RATE_LIMITS.scimPerClientPerMinute,
  );
  const observe = problemMetrics(metrics);
  const scim = scimRouter(deps, { countingFailures, perScimClient, observe, logger: deps.logger });
  app.use(SCIM_BASE, scim);
  const api = apiRouter(deps, { metrics, countingFailures, perPrincipal });
  ROUTES.set(app, [...api.routes.routes, ...new RouteTable().addRouter(SCIM_BASE, scim).routes]);
  app.use(api.router);
  if (deps.portal) {
    if (!deps.portalSessions) throw new Error('The portal needs its session store (portalSessions)');
    const portal = portalRoutes(
      { ...deps, portal: deps.portal, portalSessions: deps.portalSessions },
      { perPrincipal, countingFailures },
    );
    PORTAL_ROUTES.set(app, pageRoutes(portal));
    app.use((req, res, next) =>
      API_PATHS.test(req.path) || req.path.startsWith(`${SCIM_BASE}/`) ? next() : portal(req, res, next),
    );
  }

  app.use((req) => {
    throw notFound(`No route ${req.method} ${req.path}.`);
  });
  app.use(errorHandler(deps.logger, observe));
  return app;
}
