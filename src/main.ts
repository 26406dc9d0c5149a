import type http from 'node:http';
import { Client, Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import { loadTemporalConfig } from '../temporal-config';
import { createActivities } from './activities';
import { serverTime } from './activities/server-time';
import { embeddedAdapters } from './adapters/embedded';
import { createApp } from './api/app';
import { IdempotencyKeys } from './api/idempotency';
import { Principals } from './api/principals';
import { loadAppConfig } from './config/app-config';
import { loadKeyRing } from './crypto/key-ring';
import { PasswordSealer } from './crypto/password-sealer';
import { AesGcmPayloadCodec } from './crypto/payload-codec';
import { createLogger } from './logger';
import { startDevServer } from './servers/dev-server';
import { connectionOptions } from './temporal/connection';
import { registerSearchAttributes } from './temporal/register-search-attributes';
import { createWorker } from './temporal/worker';

/** `npm start`: the dev server (unless TEMPORAL_ADDRESS is set), a worker and the HTTP API, stopped together. */
async function main(): Promise<void> {
  const temporal = loadTemporalConfig();
  const embedded = !temporal.address;
  const config = loadAppConfig(process.env, {
    embedded,
    dataDir: temporal.dataDir,
    uiPort: temporal.devServer.uiPort,
  });
  const log = createLogger(config.logLevel);
  Runtime.install({
    shutdownSignals: [],
    logger: new DefaultLogger('WARN', ({ level, message, meta }) =>
      log[level.toLowerCase() as Lowercase<LogLevel>]({ temporal: meta }, message),
    ),
  });

  const stops: Array<() => Promise<unknown>> = [];
  let stopping = false;
  const stop = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ reason }, 'stopping');
    for (const fn of stops.reverse()) await fn().catch((err) => log.error({ err }, 'while stopping'));
    log.info('stopped');
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

  const keyRing = loadKeyRing(process.env, temporal.dataDir);
  const codec = new AesGcmPayloadCodec(keyRing);
  const sealer = new PasswordSealer(keyRing);
  const principals = Principals.fromFile(config.principalsFile);
  const adapters = embeddedAdapters(config.databaseFile, config.simulation, serverTime);
  stops.push(async () => adapters.db.close());

  let devServer: TestWorkflowEnvironment | undefined;
  if (embedded) {
    log.info({ dataDir: temporal.dataDir }, 'starting the Temporal dev server');
    devServer = await startDevServer(temporal, (m) => log.info(m), {
      codecEndpoint: `http://localhost:${config.port}/codec`,
    });
    stops.push(() => devServer!.teardown());
  }
  const address = temporal.address ?? devServer!.address;

  const connection = await Connection.connect(connectionOptions(temporal, address));
  stops.push(() => connection.close());
  if (!embedded) {
    await registerSearchAttributes(connection, temporal.namespace).catch((err: Error) =>
      log.warn({ err: err.message }, 'could not register search attributes; register them on the cluster'),
    );
  }
  const dataConverter = { payloadCodecs: [codec] };
  const client = new Client({ connection, namespace: temporal.namespace, dataConverter });

  const activities = createActivities({ ...adapters, sealer });
  const { worker, connection: workerConnection } = await createWorker(temporal, {
    address,
    activities,
    dataConverter,
  });
  const running = worker.run();
  stops.push(async () => {
    worker.shutdown();
    await running;
    await workerConnection.close();
  });

  const app = createApp({
    client,
    directory: adapters.directory,
    principals,
    idempotency: new IdempotencyKeys(adapters.db),
    sealer,
    codec,
    codecAccess: config.codec,
    taskQueue: temporal.taskQueue,
    policy: config.policy,
    logger: log,
    bodyLimit: config.bodyLimit,
    isWorkerRunning: () => worker.getState() === 'RUNNING',
  });
  const server: http.Server = app.listen(config.port, config.host, () =>
    log.info(
      {
        api: `http://${config.host}:${config.port}`,
        ...(embedded
          ? { temporalWeb: `http://localhost:${temporal.devServer.uiPort}` }
          : { temporal: address }),
      },
      'ready',
    ),
  );
  stops.push(() => new Promise((resolve) => server.close(resolve)));

  await running.catch(async (err) => {
    log.error({ err }, 'worker failed');
    await stop('worker failure');
    process.exitCode = 1;
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
