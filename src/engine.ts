import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
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
import type { Logger } from './logger';
import { startDevServer } from './servers/dev-server';
import { connectionOptions } from './temporal/connection';
import { registerSearchAttributes } from './temporal/register-search-attributes';
import { createWorker } from './temporal/worker';

export interface Engine {
  apiUrl: string;
  temporalWebUrl?: string;
  /** Settles when the worker stops; rejects if it fails. */
  running: Promise<void>;
  /** Stops the API, the worker, the connections and the dev server, in that order. */
  stop(): Promise<void>;
}

/**
 * The whole job: the dev server (unless TEMPORAL_ADDRESS is set), a worker with the embedded adapters,
 * and the HTTP API, all configured from `env`.
 */
export async function startEngine(env: NodeJS.ProcessEnv, log: Logger): Promise<Engine> {
  const temporal = loadTemporalConfig(env);
  const embedded = !temporal.address;
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
    const principals = Principals.fromFile(config.principalsFile);
    const adapters = embeddedAdapters(config.databaseFile, config.simulation, serverTime);
    stops.push(async () => adapters.db.close());

    let devServer: TestWorkflowEnvironment | undefined;
    if (embedded) {
      log.info({ dataDir: temporal.dataDir }, 'starting the Temporal dev server');
      devServer = await startDevServer(temporal, (m) => log.info(m), {
        codecEndpoint: config.codec.trustLoopback ? `http://localhost:${config.port}/codec` : undefined,
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
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => undefined);
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
      rateLimits: config.rateLimits,
      isWorkerRunning: () => worker.getState() === 'RUNNING',
    });
    const server = await new Promise<http.Server>((resolve, reject) => {
      const s = app.listen(config.port, config.host, () => resolve(s)).on('error', reject);
    });
    stops.push(() => new Promise((resolve) => server.close(resolve)));
    const { port } = server.address() as AddressInfo;
    return {
      apiUrl: `http://${config.host}:${port}`,
      temporalWebUrl: embedded ? `http://localhost:${temporal.devServer.uiPort}` : undefined,
      running,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
