import type http from 'node:http';
import { Client, Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import { loadTemporalConfig } from '../temporal-config';
import { createApp } from './api/app';
import { createLogger } from './logger';
import { startDevServer } from './servers/dev-server';
import { connectionOptions } from './temporal/connection';
import { createWorker } from './temporal/worker';

/** `npm start`: the dev server (unless TEMPORAL_ADDRESS is set), a worker and the HTTP API, stopped together. */
async function main(): Promise<void> {
  const log = createLogger();
  const config = loadTemporalConfig();
  const apiPort = Number(process.env.PORT ?? 3000);
  Runtime.install({
    shutdownSignals: [],
    logger: new DefaultLogger('WARN', ({ level, message, meta }) =>
      log[level.toLowerCase() as Lowercase<LogLevel>]({ temporal: meta }, message),
    ),
  });

  const stops: Array<() => Promise<unknown>> = [];
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    for (const fn of stops.reverse()) await fn().catch((err) => log.error({ err }, 'while stopping'));
    log.info('stopped');
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

  let devServer: TestWorkflowEnvironment | undefined;
  if (!config.address) {
    log.info({ dataDir: config.dataDir }, 'starting the Temporal dev server');
    devServer = await startDevServer(config, (m) => log.info(m));
    stops.push(() => devServer!.teardown());
    log.info(
      { address: devServer.address, temporalWeb: `http://localhost:${config.devServer.uiPort}` },
      'Temporal dev server up',
    );
  }
  const address = config.address ?? devServer!.address;

  const connection = await Connection.connect(connectionOptions(config, address));
  stops.push(() => connection.close());
  const client = new Client({ connection, namespace: config.namespace });

  const { worker, connection: workerConnection } = await createWorker(config, { address, activities: {} });
  const running = worker.run();
  stops.push(async () => {
    worker.shutdown();
    await running;
    await workerConnection.close();
  });

  const app = createApp({ isWorkerRunning: () => worker.getState() === 'RUNNING' });
  const server: http.Server = app.listen(apiPort, () => log.info({ port: apiPort }, 'API listening'));
  stops.push(() => new Promise((resolve) => server.close(resolve)));
  void client;

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
