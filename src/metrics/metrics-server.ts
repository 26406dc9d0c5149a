import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Registry } from 'prom-client';
import { errorHandler } from '../http/problem-of';
import { notFound } from '../http/problem';
import { authenticationFailureLimit, DEFAULT_RATE_LIMITS } from '../http/rate-limit';
import type { MetricsAccess } from '../http/security/metrics-access';
import { noStore } from '../http/security/no-store';
import type { Logger } from '../logger';
import { metricsEndpoint } from './metrics-endpoint';

/** GET /metrics on a listener of its own, for a process that runs the worker without the API. */
export async function startMetricsServer(
  registry: Registry,
  access: MetricsAccess,
  listen: { host: string; port: number },
  logger: Logger,
): Promise<{ url: string; close(): Promise<void> }> {
  const app = express();
  app.disable('x-powered-by');
  app.use(noStore());
  app.get('/metrics', metricsEndpoint(registry, access, authenticationFailureLimit(DEFAULT_RATE_LIMITS)));
  app.use((req) => {
    throw notFound(`No route ${req.method} ${req.path}.`);
  });
  app.use(errorHandler(logger));
  const server = await new Promise<http.Server>((resolve, reject) => {
    const s = app.listen(listen.port, listen.host, () => resolve(s)).on('error', reject);
  });
  return {
    url: `http://${listen.host}:${(server.address() as AddressInfo).port}/metrics`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
