import fs from 'node:fs';
import path from 'node:path';
import {
  CLUSTER_SERVICES,
  servicePorts,
  type ClusterConfig,
  type ClusterService,
} from '../../../temporal-config/cluster';

/** Where the server's PostgreSQL is, and as whom it connects. */
export interface ServerDatabase {
  host: string;
  port: number;
  user: string;
  password: string;
}

export const DATABASES = { default: 'temporal', visibility: 'temporal_visibility' } as const;

/** The environment name of the generated files: `<dir>/config/<service>/cluster.yaml`. */
export const CONFIG_ENV = 'cluster';

/**
 * Writes one config file per service (they differ only in the metrics listener, as each process serves
 * its own) and the dynamic config file, all owner-only: they hold the database password. JSON is YAML.
 */
export function writeServerConfig(config: ClusterConfig, database: ServerDatabase): void {
  const dynamicConfigFile = path.join(config.dir, 'config', 'dynamicconfig.yaml');
  fs.mkdirSync(path.dirname(dynamicConfigFile), { recursive: true, mode: 0o700 });
  // Temporal's production guidance: tune through dynamic config; the defaults of 1.29 suit the engine.
  if (!fs.existsSync(dynamicConfigFile)) fs.writeFileSync(dynamicConfigFile, '{}\n', { mode: 0o600 });
  for (const service of CLUSTER_SERVICES) {
    const folder = path.join(config.dir, 'config', service);
    fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
    const file = path.join(folder, `${CONFIG_ENV}.yaml`);
    const text = JSON.stringify(serverConfig(config, database, service, dynamicConfigFile), null, 2);
    fs.writeFileSync(file, `${text}\n`, { mode: 0o600 });
    fs.chmodSync(file, 0o600);
  }
}

function serverConfig(
  config: ClusterConfig,
  database: ServerDatabase,
  metricsOf: ClusterService,
  dynamicConfigFile: string,
) {
  const sql = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `${database.host}:${database.port}`,
      connectProtocol: 'tcp',
      user: database.user,
      password: database.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const frontend = servicePorts(config.frontendPort, 'frontend');
  return {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'default',
      visibilityStore: 'visibility',
      numHistoryShards: config.historyShards,
      datastores: { default: sql(DATABASES.default, 20), visibility: sql(DATABASES.visibility, 10) },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: config.ip },
      metrics: {
        prometheus: {
          framework: 'tally',
          timerType: 'histogram',
          listenAddress: `${config.ip}:${servicePorts(config.frontendPort, metricsOf).metrics}`,
        },
      },
    },
    services: Object.fromEntries(
      CLUSTER_SERVICES.map((service) => {
        const ports = servicePorts(config.frontendPort, service);
        return [
          service,
          {
            rpc: {
              grpcPort: ports.grpc,
              membershipPort: ports.membership,
              bindOnIP: config.ip,
              ...(ports.http ? { httpPort: ports.http } : {}),
            },
          },
        ];
      }),
    ),
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcName: 'frontend',
          rpcAddress: `${config.ip}:${frontend.grpc}`,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } },
    namespaceDefaults: { archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } } },
    publicClient: { hostPort: `${config.ip}:${frontend.grpc}` },
    dynamicConfigClient: { filepath: dynamicConfigFile, pollInterval: '10s' },
  };
}
