import type { Request, RequestHandler, Response } from 'express';
import type { Registry } from 'prom-client';
import { authoriseMetricsScraper, type MetricsAccess } from '../http/security/metrics-access';

/** GET /metrics: the registry in Prometheus text, for the scrapers `access` lets in. */
export function metricsEndpoint(
  registry: Registry,
  access: MetricsAccess,
  /** Runs the access check, counting its refusals against the caller's address (rate-limit.ts). */
  countingFailures: (check: (req: Request, res: Response) => void) => RequestHandler[],
): RequestHandler[] {
  return [
    ...countingFailures((req, res) => authoriseMetricsScraper(req, res, access)),
    async (_req, res) => {
      res.type(registry.contentType).send(await registry.metrics());
    },
  ];
}
