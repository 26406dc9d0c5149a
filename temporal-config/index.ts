import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/**
 * The runs a worker keeps cached. A lifecycle needs its place between the Update that creates it and its next
 * task, a second or so; each costs about 330 KB of resident memory (`npm run bench:cache`), so the SDK's
 * default, sized by the heap (some 2,300 runs, 750 MB, on a 4 GB heap), is not used.
 */
export const DEFAULT_CACHED_WORKFLOWS = 500;

/**
 * Every Temporal setting of the project, read from the environment with these defaults.
 * With TEMPORAL_ADDRESS set, `npm start` connects to that cluster and starts no server of its own.
 */
const envSchema = z.object({
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('nhsmail-accounts'),
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  TEMPORAL_TLS: z.enum(['true', 'false']).optional(),
  TEMPORAL_TLS_CA: z.string().min(1).optional(),
  TEMPORAL_TLS_CERT: z.string().min(1).optional(),
  TEMPORAL_TLS_KEY: z.string().min(1).optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  TEMPORAL_DEV_SERVER_PORT: z.coerce.number().int().min(1).max(65535).default(7233),
  TEMPORAL_UI_PORT: z.coerce.number().int().min(1).max(65535).default(8233),
  TEMPORAL_DEV_SERVER_IP: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('data'),
  TEMPORAL_CLI_PATH: z.string().min(1).optional(),
  TEMPORAL_TEST_SERVER_PATH: z.string().min(1).optional(),
  TEMPORAL_TOOLS_CACHE: z.string().min(1).optional(),
  XDG_CACHE_HOME: z.string().min(1).optional(),
  TEMPORAL_METRICS_ADDRESS: z
    .string()
    .regex(/^(off|\S+:\d{1,5})$/, 'TEMPORAL_METRICS_ADDRESS must be host:port, or "off"')
    .default('127.0.0.1:9464'),
  WORKER_CACHED_WORKFLOWS: z.coerce
    .number({ error: 'WORKER_CACHED_WORKFLOWS must be a whole number' })
    .int({ error: 'WORKER_CACHED_WORKFLOWS must be a whole number' })
    .refine((n) => n === 0 || (n >= 2 && n <= 100_000), {
      error: 'WORKER_CACHED_WORKFLOWS must be 0 (no cache) or 2 to 100000',
    })
    .default(DEFAULT_CACHED_WORKFLOWS),
});

export interface TlsFiles {
  ca?: string;
  cert?: string;
  key?: string;
  serverName?: string;
}

export interface TemporalConfig {
  /** The cluster to connect to; undefined means start the embedded dev server. */
  address?: string;
  namespace: string;
  taskQueue: string;
  apiKey?: string;
  /** false: plain connection; true: TLS with system roots; object: TLS with these files. */
  tls: boolean | TlsFiles;
  devServer: {
    ip: string;
    port: number;
    uiPort: number;
    dbFile: string;
    logFile: string;
  };
  dataDir: string;
  /** Where a worker's SDK serves its Prometheus metrics (host:port); undefined: not served. */
  metricsAddress?: string;
  /** Workflow runs a worker keeps in memory between their tasks (the SDK's sticky cache); 0 for none. */
  cachedWorkflows: number;
  tools: {
    cacheDir: string;
    cliPath?: string;
    testServerPath?: string;
  };
}

export function loadTemporalConfig(env: NodeJS.ProcessEnv = process.env): TemporalConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid Temporal configuration: ${fields}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  const tlsFiles: TlsFiles = {
    ca: e.TEMPORAL_TLS_CA,
    cert: e.TEMPORAL_TLS_CERT,
    key: e.TEMPORAL_TLS_KEY,
    serverName: e.TEMPORAL_TLS_SERVER_NAME,
  };
  const hasTlsFiles = Object.values(tlsFiles).some((v) => v !== undefined);
  const tlsWanted =
    e.TEMPORAL_TLS === 'true' || (e.TEMPORAL_TLS === undefined && (hasTlsFiles || !!e.TEMPORAL_API_KEY));
  return {
    address: e.TEMPORAL_ADDRESS,
    namespace: e.TEMPORAL_NAMESPACE,
    taskQueue: e.TEMPORAL_TASK_QUEUE,
    apiKey: e.TEMPORAL_API_KEY,
    tls: tlsWanted ? (hasTlsFiles ? tlsFiles : true) : false,
    devServer: {
      ip: e.TEMPORAL_DEV_SERVER_IP,
      port: e.TEMPORAL_DEV_SERVER_PORT,
      uiPort: e.TEMPORAL_UI_PORT,
      dbFile: path.join(dataDir, 'temporal.sqlite'),
      logFile: path.join(dataDir, 'temporal-server.log'),
    },
    dataDir,
    metricsAddress: e.TEMPORAL_METRICS_ADDRESS === 'off' ? undefined : e.TEMPORAL_METRICS_ADDRESS,
    cachedWorkflows: e.WORKER_CACHED_WORKFLOWS,
    tools: {
      cacheDir: path.resolve(
        e.TEMPORAL_TOOLS_CACHE ??
          path.join(e.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'nhsmail-account-engine'),
      ),
      cliPath: e.TEMPORAL_CLI_PATH,
      testServerPath: e.TEMPORAL_TEST_SERVER_PATH,
    },
  };
}
