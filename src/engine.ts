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
import { ensurePortsFree, portOrFree, PortTaken } from './servers/ports';
import { connectionOptions } from './temporal/connection';
import { ensureReconciliationSchedule } from './temporal/reconciliation-schedule';
import { registerSearchAttributes } from './temporal/register-search-attributes';
import { searchAttributes } from '../temporal-config/search-attributes';
import { connectWorker, createWorker } from './temporal/worker';
import { Aborted, untilConnected } from './temporal/until-connected';
import { devPrincipalsFrom, sessionPasswordsFrom } from './http/portal/portal-options';
import { purgePasswordsEvery } from './bulk/password-purge';
import { purgeAuditTrailEvery } from './operations/purge-audit-trail';
import { closeBulkChecks } from './bulk/bulk-checks';

const searchAttributeNames = searchAttributes.map((a) => a.name).join(', ');

/** Security 13: how often an API process deletes the bulk uploads' temporary passwords that expired. */
const PASSWORD_PURGE_EVERY_MS = 60 * 60 * 1000;
/** R2: the audit trail's retention purge runs daily. */
const AUDIT_PURGE_EVERY_MS = 24 * 60 * 60 * 1000;

/** What one process runs: `npm start` runs both; `npm run api` and `npm run worker` one each. */
export type EngineRole = 'api' | 'worker';

export interface Engine {
  apiUrl?: string;
  temporalWebUrl?: string;
  /** Where this process's metrics are read: the API's /metrics, or a worker-only process's own listener. */
  metricsUrl?: string;
  /** Settles when the process's work ends (the worker stops, or the API closes); rejects if it fails. */
  running: Promise<void>;
  /**
   * Against a cluster: resolves once Temporal has answered and the worker (if any) polls. A process
   * started while Temporal is unreachable serves meanwhile (the API its pages and the directory's reads,
   * /readyz 503) and connects when Temporal answers.
   */
  connected: Promise<void>;
  /** Whether `connected` had resolved when startEngine returned. */
  connectedAtStart: boolean;
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
  await ensurePortsFree([
    ...(roles.includes('api') ? [{ setting: 'PORT', host: config.host, port: config.port }] : []),
    ...(embedded
      ? [
          { setting: 'TEMPORAL_DEV_SERVER_PORT', host: temporal.devServer.ip, port: temporal.devServer.port },
          { setting: 'TEMPORAL_UI_PORT', host: temporal.devServer.ip, port: temporal.devServer.uiPort },
        ]
      : []),
  ]);
  const stops: Array<() => Promise<unknown>> = [];
  const stopping = new AbortController();
  const stop = async () => {
    stopping.abort();
    for (const fn of stops.splice(0).reverse())
      await fn().catch((err) => log.error({ err }, 'while stopping'));
  };

  try {
    const keyRing = loadKeyRing(env, temporal.dataDir);
    const codec = new AesGcmPayloadCodec(keyRing);
    const sealer = new PasswordSealer(keyRing);
    // The worker too: a bulk upload checks its uploader's rights again for each chunk (Security 14).
    const principals = Principals.fromFile(config.principalsFile);
    const stores = await openStores(config.stores, config.simulation, serverTime, keyRing);
    stops.push(() => stores.close());
    const metrics = new EngineMetrics();
    const scrapers = metricsAccess(config.metrics.token);

    let devServer: TestWorkflowEnvironment | undefined;
    if (embedded) {
      const { ip, port, dbFile, logFile } = temporal.devServer;
      log.info(
        `starting Temporal: a dev server on ${ip}:${port}, its database ${dbFile}, its own log ${logFile}`,
      );
      devServer = await startDevServer(temporal, (m) => log.info(m), {
        codecEndpoint: config.codec.trustLoopback ? `http://localhost:${config.port}/codec` : undefined,
      });
      stops.push(() => devServer!.teardown());
      log.info(`search attributes registered with the dev server: ${searchAttributeNames}`);
    } else {
      log.info(`connecting to Temporal at ${temporal.address}, namespace ${temporal.namespace}`);
    }
    const address = temporal.address ?? devServer!.address;

    // Against a cluster the connection is lazy: the process starts whether or not Temporal answers now.
    const options = connectionOptions(temporal, address);
    const connection = embedded ? await Connection.connect(options) : Connection.lazy(options);
    stops.push(() => connection.close());
    const role = roles.length > 1 ? 'worker and API' : roles[0]!;
    const reached: Promise<unknown> = embedded
      ? Promise.resolve()
      : untilConnected(
          () =>
            connection.withDeadline(Date.now() + 5000, () => connection.workflowService.getSystemInfo({})),
          { address, role },
          log,
          stopping.signal,
        );
    const reachedAtStart = await Promise.race([
      reached.then(
        () => true,
        () => false,
      ),
      settledSoon(1500),
    ]);
    const dataConverter = { payloadCodecs: [codec] };
    const client = new Client({ connection, namespace: temporal.namespace, dataConverter });
    const lifecycles = { client, taskQueue: temporal.taskQueue };

    let running: Promise<void> | undefined;
    let workerReady: Promise<void> = Promise.resolve();
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
      let worker: Awaited<ReturnType<typeof createWorker>> | undefined;
      let workerRun: Promise<void> | undefined;
      isWorkerRunning = () => worker?.getState() === 'RUNNING';
      const workerStarted = (async () => {
        await reached;
        if (!embedded) {
          log.info(`registering search attributes: ${searchAttributeNames}`);
          await registerSearchAttributes(connection, temporal.namespace).catch((err: Error) =>
            log.warn(
              { err: err.message },
              'could not register search attributes; register them on the cluster',
            ),
          );
        }
        log.info(
          `starting the worker on task queue ${temporal.taskQueue} (bundling the workflow code, once for each version of it, takes up to a minute)`,
        );
        const workerConnection = await untilConnected(
          () => connectWorker(temporal, address),
          { address, role: 'worker' },
          log,
          stopping.signal,
        );
        stops.push(async () => {
          if (worker?.getState() === 'RUNNING') worker.shutdown();
          await workerRun?.catch(() => undefined);
          await workerConnection.close();
        });
        worker = await createWorker(temporal, { connection: workerConnection, activities, dataConverter });
        if (stopping.signal.aborted) throw new Aborted('stopped while the worker was being created');
        workerRun = worker.run();
        await ensureReconciliationSchedule(client, temporal.taskQueue, config.reconciliation).catch(
          (err: Error) => log.warn({ err: err.message }, 'could not create the reconciliation schedule'),
        );
      })();
      // Stopping while it waits for Temporal ends the process's work; any other failure fails it.
      running = workerStarted.then(
        () => workerRun!,
        (err: unknown) => {
          if (!(err instanceof Aborted)) throw err;
        },
      );
      workerReady = workerStarted.catch(() => undefined);
      // Reachable now: start as before, the worker polling before the API opens.
      if (reachedAtStart) await workerStarted;
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
        audit: stores.audit,
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
        const s = app
          .listen(config.port, config.host, () => resolve(s))
          .on('error', (err) => {
            const taken = (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
            reject(taken ? new PortTaken({ setting: 'PORT', host: config.host, port: config.port }) : err);
          });
      });
      const closed = new Promise<void>((resolve) => server.once('close', resolve));
      stops.push(() => new Promise((resolve) => server.close(resolve)));
      running ??= closed;
      stops.push(purgePasswordsEvery(PASSWORD_PURGE_EVERY_MS, { ...stores, bulk: config.bulk }, log));
      stops.push(purgeAuditTrailEvery(AUDIT_PURGE_EVERY_MS, stores.audit, config.auditKeptForMs, log));
      stops.push(closeBulkChecks);
      apiUrl = `http://${config.host}:${(server.address() as AddressInfo).port}`;
    }
    let metricsUrl = apiUrl && `${apiUrl}/metrics`;
    if (!roles.includes('api')) {
      const listener = await startMetricsServer(
        metrics.registry,
        scrapers,
        {
          host: config.metrics.workerHost,
          port: await portOrFree(
            {
              setting: 'WORKER_METRICS_PORT',
              host: config.metrics.workerHost,
              port: config.metrics.workerPort,
            },
            env.WORKER_METRICS_PORT !== undefined,
          ),
        },
        log,
      );
      stops.push(() => listener.close());
      metricsUrl = listener.url;
    }
    const connected = reached.then(() => workerReady);
    connected.catch(() => undefined);
    return {
      apiUrl,
      temporalWebUrl: embedded ? `http://localhost:${temporal.devServer.uiPort}` : undefined,
      metricsUrl,
      running: running!,
      connected,
      connectedAtStart: reachedAtStart,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Resolves false after `ms`: how long start-up waits for Temporal before it goes on without it. */
function settledSoon(ms: number): Promise<false> {
  return new Promise((resolve) => setTimeout(() => resolve(false), ms).unref());
}
