import path from 'node:path';
import ms, { type StringValue } from 'ms';
import { z } from 'zod';
import { loadTemporalConfig, type TemporalConfig } from './index';

/** The Temporal server release `npm run cluster` builds: the one the CLI's dev server embeds (1.5.1). */
export const SERVER_VERSION = '1.29.1';

const port = z.coerce.number().int().min(1).max(65535);

/**
 * `npm run cluster`'s settings, read from the environment. The services listen on loopback at fixed
 * offsets from TEMPORAL_CLUSTER_PORT (the frontend's gRPC port): see `servicePorts`.
 */
const envSchema = z.object({
  TEMPORAL_CLUSTER_PORT: port.max(65500).default(7233),
  TEMPORAL_CLUSTER_DIR: z.string().min(1).default('data-cluster'),
  TEMPORAL_CLUSTER_HISTORY_SHARDS: z.coerce.number().int().min(1).max(16384).default(4),
  TEMPORAL_CLUSTER_RETENTION: z
    .string()
    .default('3d')
    .transform((value, ctx) => {
      const parsed = ms(value as StringValue);
      if (typeof parsed !== 'number' || !Number.isFinite(parsed) || parsed < 24 * 3600_000) {
        ctx.addIssue({
          code: 'custom',
          message: 'TEMPORAL_CLUSTER_RETENTION must be a duration of at least 1d, such as 3d',
        });
        return z.NEVER;
      }
      return parsed;
    }),
  TEMPORAL_CLUSTER_POSTGRES_PORT: port.default(5433),
  TEMPORAL_DATABASE_URL: z
    .string()
    .optional()
    .refine((url) => !url || /^postgres(ql)?:\/\/[^/]+\/?$/.test(url), {
      // The URL may hold a password: the message never repeats it.
      message:
        'TEMPORAL_DATABASE_URL must be postgresql://user:password@host:port (a server: the cluster makes its own databases there)',
    }),
  TEMPORAL_SERVER_PATH: z.string().min(1).optional(),
  TEMPORAL_SQL_TOOL_PATH: z.string().min(1).optional(),
});

export type ClusterService = 'frontend' | 'history' | 'matching' | 'worker';
export const CLUSTER_SERVICES: readonly ClusterService[] = ['history', 'matching', 'frontend', 'worker'];

export interface ServicePorts {
  grpc: number;
  membership: number;
  /** The service's Prometheus metrics. */
  metrics: number;
  /** The frontend's HTTP API (others: none). */
  http?: number;
}

export interface ClusterConfig {
  temporal: TemporalConfig;
  ip: string;
  frontendPort: number;
  /** The cluster's config files, logs and (when it runs its own) PostgreSQL data; kept across restarts. */
  dir: string;
  historyShards: number;
  retentionMs: number;
  /** The server's PostgreSQL: undefined means start one of its own on `postgresPort`. */
  databaseUrl?: string;
  postgresPort: number;
  serverPath?: string;
  sqlToolPath?: string;
}

export function loadClusterConfig(env: NodeJS.ProcessEnv = process.env): ClusterConfig {
  const temporal = loadTemporalConfig(env);
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid cluster configuration: ${fields}`);
  }
  const e = parsed.data;
  return {
    temporal,
    ip: '127.0.0.1',
    frontendPort: e.TEMPORAL_CLUSTER_PORT,
    dir: path.resolve(e.TEMPORAL_CLUSTER_DIR),
    historyShards: e.TEMPORAL_CLUSTER_HISTORY_SHARDS,
    retentionMs: e.TEMPORAL_CLUSTER_RETENTION,
    databaseUrl: e.TEMPORAL_DATABASE_URL,
    postgresPort: e.TEMPORAL_CLUSTER_POSTGRES_PORT,
    serverPath: e.TEMPORAL_SERVER_PATH,
    sqlToolPath: e.TEMPORAL_SQL_TOOL_PATH,
  };
}

const OFFSETS: Record<ClusterService, number> = { frontend: 0, history: 1, matching: 2, worker: 3 };

/** gRPC at base+0..3, membership at base+10..13, metrics at base+30..33, the frontend's HTTP at base+20. */
export function servicePorts(frontendPort: number, service: ClusterService): ServicePorts {
  const offset = OFFSETS[service];
  return {
    grpc: frontendPort + offset,
    membership: frontendPort + 10 + offset,
    metrics: frontendPort + 30 + offset,
    ...(service === 'frontend' ? { http: frontendPort + 20 } : {}),
  };
}
