import path from 'node:path';
import ms, { type StringValue } from 'ms';
import { z } from 'zod';
import { isLoopbackAddress } from '../http/security/loopback';
import { DEFAULT_RATE_LIMITS, type RateLimits } from '../http/rate-limit';
import { parseTrustProxy, type TrustProxy } from '../http/security/trust-proxy';
import { parseAllowedHosts } from '../http/security/allowed-hosts';
import type { HostName } from '../http/security/host-names';
import { PROJECT_ROOT } from '../project-root';
import { DEFAULT_POLICY, type LifecyclePolicy } from '../domain/policy';
import type { StoresLocation } from '../adapters/stores';
import { DEFAULT_BULK_SETTINGS, MAX_LINES_AT_ONCE, type BulkSettings } from '../bulk/bulk-settings';
import { DEFAULT_AUDIT_KEPT_FOR_MS } from '../operations/purge-audit-trail';
import type { SimulationSettings } from '../ports/simulated-mail-platform';
import type { ReconciliationSettings } from '../temporal/reconciliation-schedule';
import { OIDC_PRINCIPAL_CLAIMS, type OidcPrincipalClaim } from '../http/portal/portal-options';
import { loadGraphSettings, type GraphSettings } from '../adapters/graph/graph-settings';

const MINUTE = 60_000;

/** A duration such as 90s, 5m or 1h in milliseconds; with `never` allowed, "never" is null. */
const duration = (name: string, { never = false } = {}) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      if (never && value === 'never') return null;
      const parsed = ms(value as StringValue);
      if (typeof parsed !== 'number' || !Number.isFinite(parsed) || parsed < 0) {
        const example = never ? 'such as 2m, or "never"' : 'such as 90s, 5m, 1h or 3d';
        ctx.addIssue({ code: 'custom', message: `${name} must be a duration ${example}` });
        return z.NEVER;
      }
      return parsed;
    });

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  API_HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  API_BODY_LIMIT: z.string().min(1).default('64kb'),
  PRINCIPALS_FILE: z.string().min(1).optional(),
  CODEC_ALLOWED_ORIGINS: z.string().optional(),
  CODEC_TRUST_LOOPBACK: z.enum(['true', 'false']).optional(),
  POLICY_MAILBOX_FIRST_POLL_AFTER: duration('POLICY_MAILBOX_FIRST_POLL_AFTER'),
  POLICY_POLL_INTERVAL: duration('POLICY_POLL_INTERVAL'),
  POLICY_POLL_MAX_INTERVAL: duration('POLICY_POLL_MAX_INTERVAL'),
  POLICY_PROVISIONING_OVERDUE_AFTER: duration('POLICY_PROVISIONING_OVERDUE_AFTER'),
  POLICY_PROVISIONING_FAIL_AFTER: duration('POLICY_PROVISIONING_FAIL_AFTER'),
  POLICY_SYNC_FIRST_POLL_AFTER: duration('POLICY_SYNC_FIRST_POLL_AFTER'),
  POLICY_SYNC_OVERDUE_AFTER: duration('POLICY_SYNC_OVERDUE_AFTER'),
  POLICY_SHORT_MFA_EXCEPTION: duration('POLICY_SHORT_MFA_EXCEPTION'),
  POLICY_LONG_MFA_EXCEPTION_MONTHS: z.coerce.number().int().min(1).max(24).optional(),
  POLICY_LEAVER_WINDOW: duration('POLICY_LEAVER_WINDOW'),
  POLICY_INACTIVE_AFTER: duration('POLICY_INACTIVE_AFTER'),
  POLICY_DELETE_INACTIVE_AFTER: duration('POLICY_DELETE_INACTIVE_AFTER'),
  POLICY_RESTORE_WINDOW: duration('POLICY_RESTORE_WINDOW'),
  POLICY_RESECURE_WITHIN: duration('POLICY_RESECURE_WITHIN'),
  POLICY_HISTORY_EVENT_LIMIT: z.coerce.number().int().min(100).max(50_000).optional(),
  RECONCILE_EVERY: duration('RECONCILE_EVERY'),
  RECONCILE_AFTER: duration('RECONCILE_AFTER'),
  MAIL_PLATFORM: z
    .enum(['simulated', 'graph'], { error: 'MAIL_PLATFORM must be simulated or graph' })
    .default('simulated'),
  SIM_MAILBOX_DELAY: duration('SIM_MAILBOX_DELAY', { never: true }),
  SIM_SYNC_DELAY: duration('SIM_SYNC_DELAY', { never: true }),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).optional(),
  RATE_LIMIT_SCIM_PER_MINUTE: z.coerce.number().int().min(1).optional(),
  RATE_LIMIT_AUTH_FAILURES: z.coerce.number().int().min(1).optional(),
  RATE_LIMIT_AUTH_FAILURE_WINDOW: duration('RATE_LIMIT_AUTH_FAILURE_WINDOW'),
  TRUST_PROXY: z.string().optional(),
  ALLOWED_HOSTS: z.string().optional(),
  DATABASE_URL: z
    .string()
    .optional()
    .refine((url) => !url || /^postgres(ql)?:\/\//.test(url), {
      // The URL may hold a password: the message never repeats it.
      message: 'DATABASE_URL must be a postgres:// or postgresql:// URL',
    }),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  METRICS_TOKEN: z.string().min(20, 'METRICS_TOKEN must be at least 20 characters').optional(),
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9465),
  WORKER_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  BULK_PASSWORDS_KEPT_FOR: duration('BULK_PASSWORDS_KEPT_FOR'),
  AUDIT_KEPT_FOR: duration('AUDIT_KEPT_FOR'),
  BULK_REQUESTS_AT_ONCE: z.coerce.number().int().min(1).max(100).optional(),
  BULK_LINES_AT_ONCE: z.coerce
    .number({ error: 'BULK_LINES_AT_ONCE must be a whole number' })
    .int({ error: 'BULK_LINES_AT_ONCE must be a whole number' })
    .min(1, { error: `BULK_LINES_AT_ONCE must be 1 to ${MAX_LINES_AT_ONCE}` })
    .max(MAX_LINES_AT_ONCE, { error: `BULK_LINES_AT_ONCE must be 1 to ${MAX_LINES_AT_ONCE}` })
    .optional(),
  PORTAL_PUBLIC_URL: z
    .url({ error: 'PORTAL_PUBLIC_URL must be a URL, such as https://admin.example.nhs.uk' })
    .optional(),
  PORTAL_SESSION_TTL: duration('PORTAL_SESSION_TTL'),
  PORTAL_SESSION_IDLE_TIMEOUT: duration('PORTAL_SESSION_IDLE_TIMEOUT'),
  PORTAL_OIDC_ISSUER: z.url({ error: "PORTAL_OIDC_ISSUER must be the provider's issuer URL" }).optional(),
  PORTAL_OIDC_CLIENT_ID: z.string().min(1).optional(),
  PORTAL_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  PORTAL_OIDC_PRINCIPAL_CLAIM: z
    .enum(OIDC_PRINCIPAL_CLAIMS, {
      error: 'PORTAL_OIDC_PRINCIPAL_CLAIM must be sub, oid (Entra ID, with PORTAL_OIDC_TENANT_ID) or email',
    })
    .default('sub'),
  PORTAL_OIDC_TENANT_ID: z.string().min(1).optional(),
  PORTAL_OIDC_NAME: z.string().min(1).default('NHS single sign-on'),
});

/** The portal's settings (see src/http/portal/portal-options.ts), less the session keys, which come from the key ring. */
export interface PortalConfig {
  secureCookies: boolean;
  sessionTtlSeconds: number;
  sessionIdleSeconds: number;
  /** Offer the demo principals on /sign-in: the demo file, on a loopback address. */
  listDevPrincipals: boolean;
  oidc?: {
    issuer: string;
    clientId: string;
    clientSecret: string;
    principalClaim: OidcPrincipalClaim;
    tenantId?: string;
    redirectUri: string;
    name: string;
  };
}

/** The committed demo principals: for a run on this machine only. */
export const DEV_PRINCIPALS_FILE = path.join(PROJECT_ROOT, 'config/dev-principals.json');

export interface AppConfig {
  port: number;
  host: string;
  logLevel: string;
  bodyLimit: string;
  /** The principals file; the demo one for the embedded run when none is given. */
  principalsFile: string;
  /** The principals are the demo ones, with published tokens: for direct requests from this machine only. */
  demoPrincipals: boolean;
  /** Host names the API answers for besides loopback ones (ALLOWED_HOSTS and the public URL's); 421 for others. */
  allowedHosts: HostName[];
  codec: { allowedOrigins: string[]; trustLoopback: boolean };
  rateLimits: RateLimits;
  /** Whose X-Forwarded-For and X-Forwarded-Proto are believed: the client's address for the limits, https. */
  trustProxy: TrustProxy;
  policy: LifecyclePolicy;
  simulation: SimulationSettings;
  /** The mail platform the workers provision on: the simulation in the stores, or Microsoft Graph. */
  mailPlatform: { kind: 'simulated' } | { kind: 'graph'; settings: GraphSettings };
  reconciliation: ReconciliationSettings;
  /**
   * The simulated platform, the directory, incidents and idempotency keys: PostgreSQL at DATABASE_URL,
   * shared by processes on any host, else the embedded SQLite file in the data folder (one host).
   */
  stores: StoresLocation;
  metrics: {
    /** A scraper on another machine presents this bearer token; without it, /metrics is for this machine only. */
    token?: string;
    /** Where a process running only the worker serves its /metrics (an API process serves them on its port). */
    workerHost: string;
    workerPort: number;
  };
  portal: PortalConfig;
  bulk: BulkSettings;
  /** R2: how long an audit entry is kept after it was recorded. */
  auditKeptForMs: number;
}

const OIDC_VARIABLES = [
  'PORTAL_OIDC_ISSUER',
  'PORTAL_OIDC_CLIENT_ID',
  'PORTAL_OIDC_CLIENT_SECRET',
  'PORTAL_PUBLIC_URL',
] as const;

/** The portal's sign-in: OpenID Connect when its four variables are set (all or none), tokens otherwise. */
function portalConfig(
  e: z.output<typeof envSchema>,
  loopbackOnly: boolean,
  principalsFile: string,
): PortalConfig {
  const given = OIDC_VARIABLES.filter((name) => e[name] !== undefined);
  if (given.length > 0 && given.length < OIDC_VARIABLES.length) {
    const missing = OIDC_VARIABLES.filter((name) => e[name] === undefined);
    throw new Error(
      `OpenID Connect sign-in needs ${OIDC_VARIABLES.join(', ')}: ${missing.join(', ')} not set`,
    );
  }
  if (given.length > 0 && e.PORTAL_OIDC_PRINCIPAL_CLAIM === 'oid' && !e.PORTAL_OIDC_TENANT_ID) {
    throw new Error(
      'PORTAL_OIDC_PRINCIPAL_CLAIM=oid needs PORTAL_OIDC_TENANT_ID: an oid is unique within its tenant only',
    );
  }
  const publicUrl = e.PORTAL_PUBLIC_URL ? new URL(e.PORTAL_PUBLIC_URL) : undefined;
  const issuer = e.PORTAL_OIDC_ISSUER ? new URL(e.PORTAL_OIDC_ISSUER) : undefined;
  if (issuer && issuer.protocol !== 'https:' && !isLoopbackAddress(issuer.hostname)) {
    throw new Error(`PORTAL_OIDC_ISSUER must be https:// outside this machine, not ${e.PORTAL_OIDC_ISSUER}`);
  }
  if (publicUrl && publicUrl.protocol !== 'https:' && !isLoopbackAddress(publicUrl.hostname)) {
    throw new Error(`PORTAL_PUBLIC_URL must be https:// outside this machine, not ${e.PORTAL_PUBLIC_URL}`);
  }
  return {
    secureCookies: publicUrl ? publicUrl.protocol === 'https:' : !loopbackOnly,
    sessionTtlSeconds: Math.round((e.PORTAL_SESSION_TTL ?? 8 * 60 * MINUTE) / 1000),
    sessionIdleSeconds: Math.round((e.PORTAL_SESSION_IDLE_TIMEOUT ?? 30 * MINUTE) / 1000),
    listDevPrincipals: principalsFile === DEV_PRINCIPALS_FILE && loopbackOnly,
    ...(given.length
      ? {
          oidc: {
            issuer: e.PORTAL_OIDC_ISSUER!,
            clientId: e.PORTAL_OIDC_CLIENT_ID!,
            clientSecret: e.PORTAL_OIDC_CLIENT_SECRET!,
            principalClaim: e.PORTAL_OIDC_PRINCIPAL_CLAIM,
            ...(e.PORTAL_OIDC_TENANT_ID ? { tenantId: e.PORTAL_OIDC_TENANT_ID } : {}),
            redirectUri: new URL('/sign-in/callback', publicUrl).href,
            name: e.PORTAL_OIDC_NAME,
          },
        }
      : {}),
  };
}

/**
 * The application's settings (the Temporal ones are in temporal-config/). `embedded` is true when
 * `npm start` runs its own dev server: then the demo principals are the default, on a loopback address
 * only, and loopback access to the codec may be turned on; against a real cluster principals and keys
 * must be configured.
 */
export function loadAppConfig(
  env: NodeJS.ProcessEnv,
  options: { embedded: boolean; dataDir: string; uiPort: number },
): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(
      `Invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  const e = parsed.data;
  if (!options.embedded && !e.PRINCIPALS_FILE) {
    throw new Error('PRINCIPALS_FILE is required when connecting to a Temporal cluster (TEMPORAL_ADDRESS)');
  }
  if (!options.embedded && !env.ENCRYPTION_KEYS?.trim()) {
    throw new Error(
      'ENCRYPTION_KEYS is required when connecting to a Temporal cluster (TEMPORAL_ADDRESS): every worker and ' +
        'API must share the keys; the development key is for the embedded run only',
    );
  }
  const principalsFile = path.resolve(e.PRINCIPALS_FILE ?? DEV_PRINCIPALS_FILE);
  const loopbackOnly = isLoopbackAddress(e.API_HOST);
  if (principalsFile === DEV_PRINCIPALS_FILE && !loopbackOnly) {
    throw new Error(
      `API_HOST=${e.API_HOST} is not a loopback address, and the demo principals (config/dev-principals.json, ` +
        'with published tokens) are served on loopback only: set PRINCIPALS_FILE to your own principals',
    );
  }
  const trustLoopback = e.CODEC_TRUST_LOOPBACK === 'true';
  if (trustLoopback && !options.embedded) {
    throw new Error('CODEC_TRUST_LOOPBACK=true is for the embedded run only, not with TEMPORAL_ADDRESS');
  }
  if (trustLoopback && !loopbackOnly) {
    throw new Error(
      `CODEC_TRUST_LOOPBACK=true needs the API on a loopback address only, not API_HOST=${e.API_HOST}`,
    );
  }
  const allowedHosts = parseAllowedHosts(e.ALLOWED_HOSTS, e.PORTAL_PUBLIC_URL);
  if (!loopbackOnly && allowedHosts.length === 0) {
    throw new Error(
      `API_HOST=${e.API_HOST} listens beyond this machine: set ALLOWED_HOSTS to the host names clients reach ` +
        'it by (or PORTAL_PUBLIC_URL); any other name is answered 421',
    );
  }
  const uiOrigins = [`http://localhost:${options.uiPort}`, `http://127.0.0.1:${options.uiPort}`];
  return {
    port: e.PORT,
    host: e.API_HOST,
    logLevel: e.LOG_LEVEL,
    bodyLimit: e.API_BODY_LIMIT,
    principalsFile,
    demoPrincipals: principalsFile === DEV_PRINCIPALS_FILE,
    allowedHosts,
    codec: {
      allowedOrigins: e.CODEC_ALLOWED_ORIGINS
        ? e.CODEC_ALLOWED_ORIGINS.split(',')
            .map((o) => o.trim())
            .filter(Boolean)
        : uiOrigins,
      trustLoopback,
    },
    rateLimits: {
      perPrincipalPerMinute: e.RATE_LIMIT_PER_MINUTE ?? DEFAULT_RATE_LIMITS.perPrincipalPerMinute,
      scimPerClientPerMinute: e.RATE_LIMIT_SCIM_PER_MINUTE ?? DEFAULT_RATE_LIMITS.scimPerClientPerMinute,
      authFailures: e.RATE_LIMIT_AUTH_FAILURES ?? DEFAULT_RATE_LIMITS.authFailures,
      authFailureWindowMs: e.RATE_LIMIT_AUTH_FAILURE_WINDOW ?? DEFAULT_RATE_LIMITS.authFailureWindowMs,
    },
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    policy: {
      mailboxFirstPollAfterMs: e.POLICY_MAILBOX_FIRST_POLL_AFTER ?? DEFAULT_POLICY.mailboxFirstPollAfterMs,
      pollIntervalMs: e.POLICY_POLL_INTERVAL ?? DEFAULT_POLICY.pollIntervalMs,
      pollMaxIntervalMs: e.POLICY_POLL_MAX_INTERVAL ?? DEFAULT_POLICY.pollMaxIntervalMs,
      provisioningOverdueAfterMs:
        e.POLICY_PROVISIONING_OVERDUE_AFTER ?? DEFAULT_POLICY.provisioningOverdueAfterMs,
      provisioningFailAfterMs: e.POLICY_PROVISIONING_FAIL_AFTER ?? DEFAULT_POLICY.provisioningFailAfterMs,
      syncFirstPollAfterMs: e.POLICY_SYNC_FIRST_POLL_AFTER ?? DEFAULT_POLICY.syncFirstPollAfterMs,
      syncOverdueAfterMs: e.POLICY_SYNC_OVERDUE_AFTER ?? DEFAULT_POLICY.syncOverdueAfterMs,
      shortMfaExceptionMs: e.POLICY_SHORT_MFA_EXCEPTION ?? DEFAULT_POLICY.shortMfaExceptionMs,
      longMfaExceptionMonths: e.POLICY_LONG_MFA_EXCEPTION_MONTHS ?? DEFAULT_POLICY.longMfaExceptionMonths,
      leaverWindowMs: e.POLICY_LEAVER_WINDOW ?? DEFAULT_POLICY.leaverWindowMs,
      inactiveAfterMs: e.POLICY_INACTIVE_AFTER ?? DEFAULT_POLICY.inactiveAfterMs,
      deleteInactiveAfterMs: e.POLICY_DELETE_INACTIVE_AFTER ?? DEFAULT_POLICY.deleteInactiveAfterMs,
      restoreWindowMs: e.POLICY_RESTORE_WINDOW ?? DEFAULT_POLICY.restoreWindowMs,
      resecureWithinMs: e.POLICY_RESECURE_WITHIN ?? DEFAULT_POLICY.resecureWithinMs,
      historyEventLimit: e.POLICY_HISTORY_EVENT_LIMIT ?? DEFAULT_POLICY.historyEventLimit,
    },
    simulation: {
      mailboxDelayMs:
        e.SIM_MAILBOX_DELAY === undefined ? DEFAULT_POLICY.mailboxFirstPollAfterMs : e.SIM_MAILBOX_DELAY,
      syncDelayMs: e.SIM_SYNC_DELAY === undefined ? 60 * 60 * 1000 : e.SIM_SYNC_DELAY,
    },
    mailPlatform:
      e.MAIL_PLATFORM === 'graph'
        ? { kind: 'graph', settings: loadGraphSettings(env) }
        : { kind: 'simulated' },
    reconciliation: {
      everyMs: e.RECONCILE_EVERY ?? MINUTE,
      graceMs: e.RECONCILE_AFTER ?? MINUTE,
    },
    metrics: {
      ...(e.METRICS_TOKEN ? { token: e.METRICS_TOKEN } : {}),
      workerHost: e.WORKER_METRICS_HOST,
      workerPort: e.WORKER_METRICS_PORT,
    },
    stores: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE }
      : { kind: 'sqlite', file: path.join(options.dataDir, 'engine.sqlite') },
    portal: portalConfig(e, loopbackOnly, principalsFile),
    bulk: {
      passwordsKeptForMs: e.BULK_PASSWORDS_KEPT_FOR ?? DEFAULT_BULK_SETTINGS.passwordsKeptForMs,
      requestsAtOnce: e.BULK_REQUESTS_AT_ONCE ?? DEFAULT_BULK_SETTINGS.requestsAtOnce,
      linesAtOnce: e.BULK_LINES_AT_ONCE ?? DEFAULT_BULK_SETTINGS.linesAtOnce,
    },
    auditKeptForMs: e.AUDIT_KEPT_FOR ?? DEFAULT_AUDIT_KEPT_FOR_MS,
  };
}
