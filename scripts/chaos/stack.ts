import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { loadTemporalConfig } from '../../temporal-config';
import { searchAttributes } from '../../temporal-config/search-attributes';
import { PROJECT_ROOT } from '../../src/project-root';
import { resolveTemporalCli } from '../../src/servers/dev-server';
import { canListen, freePort, freePortRun } from '../../test/helpers/free-port';
import { sleep } from './random';
import { Supervised } from '../../src/servers/supervised-process';
import { startCluster, type Cluster } from '../../src/servers/cluster/cluster';
import { PostgresServer } from '../../src/servers/cluster/postgres-server';
import { loadClusterConfig } from '../../temporal-config/cluster';

/** Durations short enough for a whole lifecycle (mailbox, first-login steps, sync) to take seconds. */
const FAST_LIFECYCLE = {
  POLICY_MAILBOX_FIRST_POLL_AFTER: '2s',
  POLICY_POLL_INTERVAL: '1s',
  POLICY_POLL_MAX_INTERVAL: '2s',
  SIM_MAILBOX_DELAY: '3s',
  POLICY_SYNC_FIRST_POLL_AFTER: '1s',
  SIM_SYNC_DELAY: '2s',
  RECONCILE_EVERY: '5s',
  RECONCILE_AFTER: '5s',
};

/**
 * The engine's processes and what they run on: a Temporal dev server, one API process and one worker
 * process sharing a SQLite file; or (--cluster) a Temporal cluster, two of each on a PostgreSQL of their own.
 */
export interface Stack {
  temporalAddress: string;
  apiUrls: string[];
  /** The engine's SQLite file, shared by the API and the worker (dev server only). */
  databaseFile?: string;
  /** The engine's PostgreSQL database (cluster only). */
  databaseUrl?: string;
  /** What the children were given, for the checks (the encryption keys). */
  env: NodeJS.ProcessEnv;
  dataDir: string;
  /** The dev server; on a cluster, its services and its PostgreSQL. */
  temporal?: Supervised;
  cluster?: Cluster;
  enginePostgres?: PostgresServer;
  apis: Supervised[];
  workers: Supervised[];
  stop(): Promise<void>;
}

export async function startStack(
  runDir: string,
  log: (message: string) => void,
  options: {
    cluster: boolean;
    /** Settings of the engine's processes besides the stack's own (a shorter policy, say). */
    engineEnv?: NodeJS.ProcessEnv;
    /** The cluster's TEMPORAL_CLUSTER_RETENTION; its default unless given. */
    retention?: string;
  },
): Promise<Stack> {
  const main = path.join(PROJECT_ROOT, 'dist/src/main.js');
  if (!fs.existsSync(main)) throw new Error(`${main} is missing: run npm run build first`);
  const dataDir = path.join(runDir, 'data');
  fs.mkdirSync(dataDir, { recursive: true });
  const count = options.cluster ? 2 : 1;
  const apiPorts = await Promise.all(Array.from({ length: count }, () => freePort()));

  let temporal: Supervised | undefined;
  let cluster: Cluster | undefined;
  let enginePostgres: PostgresServer | undefined;
  let temporalAddress: string;
  let stores: NodeJS.ProcessEnv;
  if (options.cluster) {
    // The PostgreSQL servers run as `postgres` when this runs as root: it must pass through the folder.
    if (process.getuid?.() === 0) fs.chmodSync(runDir, 0o711);
    const [frontendPort, temporalPgPort, enginePgPort] = [
      await freePortBlock(),
      await freePort(),
      await freePort(),
    ];
    // Durable (fsync, synchronous commit), as a crash must not lose what it acknowledged: without, the crash
    // lost a platform account its activity had seen committed, and that account's mailbox never came.
    enginePostgres = new PostgresServer(path.join(runDir, 'engine-postgres'), enginePgPort, log, {
      durable: true,
    });
    await enginePostgres.start();
    await enginePostgres.ensureDatabase('nhsmail');
    cluster = await startCluster(
      loadClusterConfig({
        ...inheritedEnv(),
        TEMPORAL_CLUSTER_PORT: String(frontendPort),
        TEMPORAL_CLUSTER_POSTGRES_PORT: String(temporalPgPort),
        TEMPORAL_CLUSTER_DIR: path.join(runDir, 'cluster'),
        ...(options.retention ? { TEMPORAL_CLUSTER_RETENTION: options.retention } : {}),
      }),
      log,
    );
    temporalAddress = cluster.address;
    stores = { DATABASE_URL: enginePostgres.url('nhsmail'), DATABASE_POOL_SIZE: '5' };
  } else {
    const cli = await temporalCli(log);
    const temporalPort = await freePort();
    temporalAddress = `127.0.0.1:${temporalPort}`;
    temporal = new Supervised(
      'temporal',
      cli,
      [
        'server',
        'start-dev',
        '--headless',
        '--ip',
        '127.0.0.1',
        '--port',
        String(temporalPort),
        '--db-filename',
        path.join(runDir, 'temporal.sqlite'),
        '--log-level',
        'warn',
        ...searchAttributes.flatMap((key) => [
          '--search-attribute',
          `${key.name}=${TypedSearchAttributes.toMetadataType(key.type)}`,
        ]),
      ],
      process.env,
      path.join(runDir, 'temporal.log'),
      log,
    );
    temporal.start();
    await waitForTemporal(temporalAddress, 60_000);
    stores = {};
  }

  const env: NodeJS.ProcessEnv = {
    ...inheritedEnv(),
    TEMPORAL_ADDRESS: temporalAddress,
    DATA_DIR: dataDir,
    PRINCIPALS_FILE: path.join(PROJECT_ROOT, 'config/dev-principals.json'),
    ENCRYPTION_KEYS: `chaos:${crypto.randomBytes(32).toString('base64')}`,
    API_HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    // The audit reads the engine's tables itself; the worker's metrics listeners on ports of their own
    // would collide with anything else on this machine using the default ones, and nothing here reads them.
    WORKER_METRICS_PORT: '0',
    TEMPORAL_METRICS_ADDRESS: 'off',
    ...stores,
    ...FAST_LIFECYCLE,
    ...options.engineEnv,
  };
  const engine = (role: 'api' | 'worker', n: number, extra: NodeJS.ProcessEnv = {}) => {
    const name = count > 1 ? `${role} ${n + 1}` : role;
    const logFile = path.join(runDir, `${name.replace(' ', '-')}.log`);
    return new Supervised(name, process.execPath, [main, role], { ...env, ...extra }, logFile, log);
  };
  const workers = Array.from({ length: count }, (_, n) => engine('worker', n));
  const apis = apiPorts.map((port, n) => engine('api', n, { PORT: String(port) }));
  for (const child of [...workers, ...apis]) child.start();
  const apiUrls = apiPorts.map((port) => `http://127.0.0.1:${port}`);
  await Promise.all(apiUrls.map((url) => waitForApi(url, 60_000)));
  return {
    temporalAddress,
    apiUrls,
    databaseFile: options.cluster ? undefined : path.join(dataDir, 'engine.sqlite'),
    databaseUrl: stores.DATABASE_URL,
    env,
    dataDir,
    temporal,
    cluster,
    enginePostgres,
    apis,
    workers,
    async stop() {
      await Promise.all([...apis, ...workers].map((child) => child.stop()));
      await temporal?.stop();
      await cluster?.stop();
      await enginePostgres?.stop();
    },
  };
}

/**
 * A base port whose cluster ports (base+0..3, +10..13, +20, +30..33) are all free: a random one in the
 * lane's range of blocks (test/helpers/free-port.ts), tried until one fits.
 */
export function freePortBlock(): Promise<number> {
  const offsets = [0, 1, 2, 3, 10, 11, 12, 13, 20, 30, 31, 32, 33];
  return freePortRun(34, async (base) =>
    (await Promise.all(offsets.map((offset) => canListen(base + offset)))).every(Boolean),
  );
}

/** The environment without any engine setting of the caller's, so that the run is the same everywhere. */
function inheritedEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) =>
        !/^(TEMPORAL_|POLICY_|SIM_|RECONCILE_|ENCRYPTION_|CODEC_|PORT$|API_|DATA_DIR$|DATABASE_|WORKER_METRICS_|METRICS_TOKEN$)/.test(
          name,
        ),
    ),
  );
}

async function temporalCli(log: (message: string) => void): Promise<string> {
  const { executable } = await resolveTemporalCli(loadTemporalConfig(process.env), log);
  if (executable.type !== 'existing-path') {
    throw new Error(
      'No Temporal CLI found: run npm run provision-servers (or set TEMPORAL_CLI_PATH) and try again',
    );
  }
  return executable.path;
}

/** Resolves once the server at `address` answers; rejects after `ms`. */
export async function waitForTemporal(address: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`Temporal at ${address} did not answer`, { cause: err });
      await sleep(250);
    }
  }
}

/** Resolves once the API answers /healthz; rejects after `ms`. */
export async function waitForApi(apiUrl: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const ok = await fetch(`${apiUrl}/healthz`, { signal: AbortSignal.timeout(2000) }).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`The API at ${apiUrl} did not answer /healthz`);
    await sleep(250);
  }
}
