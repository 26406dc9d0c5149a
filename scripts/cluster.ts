import { loadClusterConfig } from '../temporal-config/cluster';
import { startCluster, type Cluster } from '../src/servers/cluster/cluster';
import { killAllNow } from '../src/servers/supervised-process';

/** The engine's own database on the cluster's PostgreSQL, for trying the deployment on one machine. */
const ENGINE_DATABASE = 'nhsmail';

/**
 * `npm run cluster`: a Temporal cluster on this machine, its services as separate processes on PostgreSQL,
 * until Ctrl-C or SIGTERM, which stop everything it started. See the README's "Deploying".
 */
async function main(): Promise<void> {
  const config = loadClusterConfig(process.env);
  const log = (message: string) => console.log(`${new Date().toISOString()} ${message}`);
  const started: { cluster?: Cluster } = {};
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping the cluster`);
    void (started.cluster?.stop() ?? Promise.resolve()).then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        killAllNow();
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('exit', killAllNow);

  const cluster = (started.cluster = await startCluster(config, log));
  if (stopping) return;
  const lines = [
    `ready: TEMPORAL_ADDRESS=${cluster.address} (namespace ${config.temporal.namespace}); the services' logs in ${config.dir}/logs`,
    'The engine takes, in each terminal of a worker or an API:',
    `  export TEMPORAL_ADDRESS=${cluster.address}`,
  ];
  if (cluster.postgres) {
    await cluster.postgres.ensureDatabase(ENGINE_DATABASE);
    const url = `postgresql://postgres:$(cat ${cluster.postgres.passwordFile})@127.0.0.1:${cluster.postgres.port}/${ENGINE_DATABASE}`;
    lines.push(`  export DATABASE_URL="${url}"   # the engine's stores, on the cluster's PostgreSQL`);
  }
  lines.push('Ctrl-C stops the cluster.');
  for (const line of lines) log(line);
}

main().catch((err) => {
  console.error(err);
  killAllNow();
  process.exit(1);
});
