import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { loadTemporalConfig } from '../../temporal-config';
import { searchAttributes } from '../../temporal-config/search-attributes';
import { PROJECT_ROOT } from '../../src/project-root';
import { resolveTemporalCli } from '../../src/servers/dev-server';
import { freePort } from '../../test/helpers/free-port';
import { sleep } from './random';
import { Supervised } from '../../src/servers/supervised-process';

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

/** The dev server, one API process and one worker process, as in a deployment with separate processes. */
export interface Stack {
  temporalAddress: string;
  apiUrl: string;
  /** The engine's SQLite file, shared by the API and the worker. */
  databaseFile: string;
  /** What the children were given, for the checks (the encryption keys). */
  env: NodeJS.ProcessEnv;
  dataDir: string;
  temporal: Supervised;
  api: Supervised;
  worker: Supervised;
}

export async function startStack(runDir: string, log: (message: string) => void): Promise<Stack> {
  const main = path.join(PROJECT_ROOT, 'dist/src/main.js');
  if (!fs.existsSync(main)) throw new Error(`${main} is missing: run npm run build first`);
  const cli = await temporalCli(log);
  const temporalPort = await freePort();
  const apiPort = await freePort();
  const temporalAddress = `127.0.0.1:${temporalPort}`;
  const dataDir = path.join(runDir, 'data');
  fs.mkdirSync(dataDir, { recursive: true });

  const temporal = new Supervised(
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

  const env: NodeJS.ProcessEnv = {
    ...inheritedEnv(),
    TEMPORAL_ADDRESS: temporalAddress,
    DATA_DIR: dataDir,
    PRINCIPALS_FILE: path.join(PROJECT_ROOT, 'config/dev-principals.json'),
    ENCRYPTION_KEYS: `chaos:${crypto.randomBytes(32).toString('base64')}`,
    API_HOST: '127.0.0.1',
    PORT: String(apiPort),
    LOG_LEVEL: 'warn',
    // The audit reads the SQLite file in DATA_DIR; the worker's metrics listeners on ports of their own
    // would collide with anything else on this machine using the default ones, and nothing here reads them.
    WORKER_METRICS_PORT: '0',
    TEMPORAL_METRICS_ADDRESS: 'off',
    ...FAST_LIFECYCLE,
  };
  const engine = (role: 'api' | 'worker') =>
    new Supervised(role, process.execPath, [main, role], env, path.join(runDir, `${role}.log`), log);
  const worker = engine('worker');
  const api = engine('api');
  worker.start();
  api.start();
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  await waitForApi(apiUrl, 60_000);
  return {
    temporalAddress,
    apiUrl,
    databaseFile: path.join(dataDir, 'engine.sqlite'),
    env,
    dataDir,
    temporal,
    api,
    worker,
  };
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
