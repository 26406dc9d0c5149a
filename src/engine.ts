import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { loadTemporalConfig } from '../temporal-config';
import { createActivities } from './activities';
import { createBulkActivities } from './activities/bulk';
import { serverTime } from './activities/server-time';
import { openStores } from './adapters/stores';
import { openGraphPlatform } from './adapters/graph/open-graph-platform';
import { createApp } from './http/app';
import { Principals } from './access/principals';
import { metricsAccess } from './http/security/metrics-access';
import { loadAppConfig } from './config/app-config';
import { loadKeyRing } from './crypto/key-ring';
import { PasswordSealer } from './crypto/password-sealer';
import { AesGcmPayloadCodec } from './crypto/payload-codec';
import type { Logger } from './logger';
import { EngineMetrics } from './metrics/engine-metrics';
import { startMetricsServer } from './metrics/metrics-server';
import { startDevServer } from './servers/dev-server';
import { connectionOptions } from './temporal/connection';
import { ensureReconciliationSchedule } from './temporal/reconciliation-schedule';
import { registerSearchAttributes } from './temporal/register-search-attributes';
import { searchAttributes } from '../temporal-config/search-attributes';
import { createWorker } from './temporal/worker';
import { devPrincipalsFrom, sessionPasswordsFrom } from './http/portal/portal-options';
import { purgePasswordsEvery } from './bulk/password-purge';
import { closeBulkChecks } from './bulk/bulk-checks';

const searchAttributeNames = searchAttributes.map((a) => a.name).join(', ');

/** Security 13: how often an API process deletes the bulk uploads' temporary passwords that expired. */
const PASSWORD_PURGE_EVERY_MS = 60 * 60 * 1000;

/** What one process runs: `npm start` runs both; `npm run api` and `npm run worker` one each. */
export type EngineRole = 'api' | 'worker';

export interface Engine {
  apiUrl?: string;
  temporalWebUrl?: string;
  /** Where this process's metrics are read: the API's /metrics, or a worker-only process's own listener. */
  metricsUrl?: string;
  /** Settles when the process's work ends (the worker stops, or the API closes); rejects if it fails. */
  running: Promise<void>;
  /** Stops the API, the worker, the connections and the dev server, in that order. */
  stop(): Promise<void>;
}

/**
 * The engine, configured from `env`: with both roles and no TEMPORAL_ADDRESS, the whole job in one
 * process (the dev server, a worker with the embedded adapters, the HTTP API); otherwise the roles asked
 * for, against the cluster at TEMPORAL_ADDRESS.
 */
export async function startEngine(
  env: NodeJS.ProcessEnv,
  log: Logger,
  roles: readonly EngineRole[] = ['api', 'worker'],
): Promise<Engine> {
  const temporal = loadTemporalConfig(env);
  const embedded = !temporal.address;
  if (embedded && roles.length < 2) {
    throw new Error(
      `The ${roles.join(' and ')} process connects to a running Temporal: set TEMPORAL_ADDRESS. ` +
        '(npm start runs the API and the worker in one process with a Temporal dev server of its own.)',
    );
  }
  const config = loadAppConfig(env, {
    embedded,
    dataDir: temporal.dataDir,
    uiPort: temporal.devServer.uiPort,
  });
  const stops: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const fn of stops.splice(0).reverse())
      await fn().catch((err) => log.error({ err }, 'while stopping'));
  };

  try {
    const keyRing = loadKeyRing(env, temporal.dataDir);
    const codec = new AesGcmPayloadCodec(keyRing);
    const sealer = new PasswordSealer(keyRing);
    // The worker too: a bulk upload checks its uploader's rights again for each chunk (Security 14).
    const principals = Principals.fromFile(config.principalsFile);
    const stores = await openStores(config.stores, config.simulation, serverTime);
    stops.push(() => stores.close());
    const metrics = new EngineMetrics();
    const scrapers = metricsAccess(config.metrics.token);

    let devServer: TestWorkflowEnvironment | undefined;
    if (embedded) {
      const { ip, port, dbFile } = temporal.devServer;
      log.info(`starting Temporal: a dev server on ${ip}:${port}, its database ${dbFile}`);
      devServer = await startDevServer(temporal, (m) => log.info(m), {
        codecEndpoint: config.codec.trustLoopback ? `http://localhost:${config.port}/codec` : undefined,
      });
      stops.push(() => devServer!.teardown());
      log.info(`search attributes registered with the dev server: ${searchAttributeNames}`);
    } else {
      log.info(`connecting to Temporal at ${temporal.address}, namespace ${temporal.namespace}`);
    }
    const address = temporal.address ?? devServer!.address;

    const connection = await Connection.connect(connectionOptions(temporal, address));
    stops.push(() => connection.close());
    if (!embedded && roles.includes('worker')) {
      log.info(`registering search attributes: ${searchAttributeNames}`);
      await registerSearchAttributes(connection, temporal.namespace).catch((err: Error) =>
        log.warn({ err: err.message }, 'could not register search attributes; register them on the cluster'),
      );
    }
    const dataConverter = { payloadCodecs: [codec] };
    const client = new Client({ connection, namespace: temporal.namespace, dataConverter });
    const lifecycles = { client, taskQueue: temporal.taskQueue };

    let running: Promise<void> | undefined;
    let isWorkerRunning: (() => boolean) | undefined;
    if (roles.includes('worker')) {
      const mail = config.mailPlatform;
      if (mail.kind === 'graph') {
        log.info(
          `mail platform: Microsoft Graph at ${mail.settings.baseUrl}, tenant ${mail.settings.tenantId}, ` +
            `app ${mail.settings.clientId}`,
        );
      }
      const activities = {
        ...createActivities({
          ...stores,
          platform: mail.kind === 'graph' ? openGraphPlatform(mail.settings) : stores.platform,
          sealer,
          lifecycles,
          metrics,
          reconcileAfterMs: config.reconciliation.graceMs,
        }),
        ...createBulkActivities({
          ...stores,
          ...lifecycles,
          sealer,
          policy: config.policy,
          principals,
          linesAtOnce: config.bulk.linesAtOnce,
        }),
      };
      log.info(
        `starting the worker on task queue ${temporal.taskQueue} (bundling the workflow code takes up to a minute)`,
      );
      const { worker, connection: workerConnection } = await createWorker(temporal, {
        address,
        activities,
        dataConverter,
      });
      running = worker.run();
      isWorkerRunning = () => worker.getState() === 'RUNNING';
      stops.push(async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running!.catch(() => undefined);
        await workerConnection.close();
      });
      await ensureReconciliationSchedule(client, temporal.taskQueue, config.reconciliation).catch(
        (err: Error) => log.warn({ err: err.message }, 'could not create the reconciliation schedule'),
      );
    }

    let apiUrl: string | undefined;
    if (roles.includes('api')) {
      log.info('starting the API and the portal');
      const app = createApp({
        ...lifecycles,
        directory: stores.directory,
        principals,
        idempotency: stores.idempotency,
        bulkUploads: stores.bulkUploads,
        portalSessions: stores.portalSessions,
        bulk: config.bulk,
        sealer,
        codec,
        codecAccess: config.codec,
        policy: config.policy,
        logger: log,
        bodyLimit: config.bodyLimit,
        rateLimits: config.rateLimits,
        trustProxy: config.trustProxy,
        allowedHosts: config.allowedHosts,
        demoPrincipals: config.demoPrincipals,
        isWorkerRunning,
        metrics,
        metricsAccess: scrapers,
        portal: {
          sessionPasswords: sessionPasswordsFrom(keyRing),
          secureCookies: config.portal.secureCookies,
          sessionTtlSeconds: config.portal.sessionTtlSeconds,
          sessionIdleSeconds: config.portal.sessionIdleSeconds,
          devPrincipals: config.portal.listDevPrincipals ? devPrincipalsFrom(config.principalsFile) : [],
          oidc: config.portal.oidc,
        },
      });
      const server = await new Promise<http.Server>((resolve, reject) => {
        const s = app.listen(config.port, config.host, () => resolve(s)).on('error', reject);
      });
      const closed = new Promise<void>((resolve) => server.once('close', resolve));
      stops.push(() => new Promise((resolve) => server.close(resolve)));
      running ??= closed;
      stops.push(purgePasswordsEvery(PASSWORD_PURGE_EVERY_MS, { ...stores, bulk: config.bulk }, log));
      stops.push(closeBulkChecks);
      apiUrl = `http://${config.host}:${(server.address() as AddressInfo).port}`;
    }
    let metricsUrl = apiUrl && `${apiUrl}/metrics`;
    if (!roles.includes('api')) {
      const listener = await startMetricsServer(
        metrics.registry,
        scrapers,
        { host: config.metrics.workerHost, port: config.metrics.workerPort },
        log,
      );
      stops.push(() => listener.close());
      metricsUrl = listener.url;
    }
    return {
      apiUrl,
      temporalWebUrl: embedded ? `http://localhost:${temporal.devServer.uiPort}` : undefined,
      metricsUrl,
      running: running!,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
