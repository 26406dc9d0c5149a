import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import {
  CLUSTER_SERVICES,
  servicePorts,
  type ClusterConfig,
  type ClusterService,
} from '../../../temporal-config/cluster';
import { Supervised } from '../supervised-process';
import type { Log } from '../tools';
import { registerNamespace } from './namespace';
import { PostgresServer } from './postgres-server';
import { resolveServerBinaries } from './server-binaries';
import { CONFIG_ENV, writeServerConfig, type ServerDatabase } from './server-config';
import { setUpSchemas } from './server-schema';

/** A Temporal cluster on loopback: its services as processes of their own, on PostgreSQL. */
export interface Cluster {
  /** What the engine's workers and APIs take as TEMPORAL_ADDRESS. */
  address: string;
  services: Record<ClusterService, Supervised>;
  /** The cluster's own PostgreSQL; undefined on TEMPORAL_DATABASE_URL. */
  postgres?: PostgresServer;
  /** Stops the services (SIGTERM, then SIGKILL after 5 s), then its own PostgreSQL. */
  stop(): Promise<void>;
}

/**
 * Builds (once) and starts a Temporal cluster: its PostgreSQL (its own, or TEMPORAL_DATABASE_URL's), the
 * `temporal` and `temporal_visibility` databases at the release's schema, a config file per service, then
 * frontend alone to register the namespace and the search attributes, then history, matching, frontend
 * and the internal worker, each a process of its own, restarted if it exits by itself.
 */
export async function startCluster(config: ClusterConfig, log: Log): Promise<Cluster> {
  const binaries = await resolveServerBinaries(config, log);
  log(`Temporal server ${binaries.server} (${binaries.source})`);
  prepareFolder(config.dir, !config.databaseUrl);
  const logs = path.join(config.dir, 'logs');
  fs.mkdirSync(logs, { recursive: true, mode: 0o700 });

  let postgres: PostgresServer | undefined;
  const services = {} as Record<ClusterService, Supervised>;
  const stop = async () => {
    await Promise.all(Object.values(services).map((s) => s.stop()));
    await postgres?.stop();
  };
  try {
    let database: ServerDatabase;
    if (config.databaseUrl) {
      database = parseDatabaseUrl(config.databaseUrl);
      log(`PostgreSQL at ${database.host}:${database.port} (TEMPORAL_DATABASE_URL)`);
    } else {
      postgres = new PostgresServer(path.join(config.dir, 'postgres'), config.postgresPort, log, {
        durable: true,
      });
      log(`starting PostgreSQL on 127.0.0.1:${config.postgresPort}, its data in ${postgres.folder}`);
      await postgres.start();
      database = {
        host: '127.0.0.1',
        port: config.postgresPort,
        user: 'postgres',
        password: postgres.password,
      };
    }
    writeServerConfig(config, database);
    await setUpSchemas(binaries.sqlTool, database, log);

    for (const service of CLUSTER_SERVICES) {
      services[service] = new Supervised(
        `temporal-${service}`,
        binaries.server,
        [
          ...['--root', config.dir, '--config', path.join('config', service), '--env', CONFIG_ENV],
          ...['--allow-no-auth', 'start', '--service', service],
        ],
        process.env,
        path.join(logs, `${service}.log`),
        log,
      );
    }
    const address = `${config.ip}:${servicePorts(config.frontendPort, 'frontend').grpc}`;
    // The namespace and search attributes first, through frontend alone, so that every service starts
    // with them in its caches (the search attributes' cache is refreshed only once a minute).
    services.frontend.start();
    await withConnection(address, 120_000, async (connection) => {
      const outcome = await registerNamespace(connection, config.temporal.namespace, config.retentionMs);
      const days = config.retentionMs / 86_400_000;
      log(
        `namespace ${config.temporal.namespace} ${outcome} (retention ${days} days), search attributes registered`,
      );
    });
    await services.frontend.stop();
    for (const service of CLUSTER_SERVICES) services[service].reset().start();
    log(
      `services starting: ${CLUSTER_SERVICES.map((s) => `${s} ${servicePorts(config.frontendPort, s).grpc}`).join(', ')}`,
    );
    await untilServing(address, config.temporal.namespace, 180_000);
    return { address, services, postgres, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * The cluster's folder is its owner's only; when it runs its own PostgreSQL as root, the server's user
 * (`postgres`) must pass through it to its data folder: then it is 0711 (no listing), its files 0600.
 */
function prepareFolder(dir: string, ownPostgres: boolean): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, ownPostgres && process.getuid?.() === 0 ? 0o711 : 0o700);
}

function parseDatabaseUrl(url: string): ServerDatabase {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
  };
}

/** Runs `work` on a connection to `address` once the frontend answers, retrying until `ms` passes. */
async function withConnection<T>(
  address: string,
  ms: number,
  work: (connection: Connection) => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2000 });
      try {
        return await work(connection);
      } finally {
        await connection.close();
      }
    } catch (err) {
      if (Date.now() > deadline)
        throw new Error(`Temporal at ${address} did not become ready`, { cause: err });
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/**
 * Resolves once the cluster serves the namespace end to end: a probe workflow is started (history) and
 * found through visibility, then terminated.
 */
async function untilServing(address: string, namespace: string, ms: number): Promise<void> {
  await withConnection(address, ms, async (connection) => {
    const workflowId = `cluster-probe-${Date.now()}`;
    await connection.workflowService.startWorkflowExecution({
      namespace,
      workflowId,
      workflowType: { name: 'clusterProbe' },
      taskQueue: { name: 'cluster-probe' },
      requestId: workflowId,
    });
    await connection.workflowService.terminateWorkflowExecution({
      namespace,
      workflowExecution: { workflowId },
      reason: 'npm run cluster: the cluster answers',
    });
  });
}
