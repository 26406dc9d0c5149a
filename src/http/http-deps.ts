import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { Principals } from '../access/principals';
import type { BulkSettings } from '../bulk/bulk-settings';
import type { PasswordSealer } from '../crypto/password-sealer';
import type { LifecyclePolicy } from '../domain/policy';
import type { Logger } from '../logger';
import type { EngineMetrics } from '../metrics/engine-metrics';
import type { AuditStore } from '../ports/audit-store';
import type { BulkUploads } from '../ports/bulk-uploads';
import type { Directory } from '../ports/directory';
import type { IdempotencyKeys } from '../ports/idempotency-keys';
import type { PortalSessions } from '../ports/portal-sessions';
import type { CodecAccess } from './security/codec-access';
import type { PortalOptions } from './portal/portal-options';
import type { RateLimits } from './rate-limit';
import type { HostName } from './security/host-names';
import type { MetricsAccess } from './security/metrics-access';
import type { TrustProxy } from './security/trust-proxy';

/** What the HTTP server needs: the operations' own deps, and the web's settings. */
export interface HttpDeps {
  client: Client;
  directory: Directory;
  principals: Principals;
  idempotency: IdempotencyKeys;
  bulkUploads: BulkUploads;
  /** The audit trail (R2): accounts' histories and the trail's search read it. */
  audit: AuditStore;
  /** The bulk upload's settings; their defaults unless given. */
  bulk?: BulkSettings;
  sealer: PasswordSealer;
  codec: PayloadCodec;
  codecAccess: CodecAccess;
  taskQueue: string;
  policy: LifecyclePolicy;
  logger: Logger;
  bodyLimit: string;
  /** Whether this process's worker runs; undefined when the workers run in processes of their own. */
  isWorkerRunning?: () => boolean;
  rateLimits?: RateLimits;
  /** Whose X-Forwarded-For and X-Forwarded-Proto to believe (TRUST_PROXY); loopback only unless given. */
  trustProxy?: TrustProxy;
  /** Host names answered besides the loopback ones at the listening port (ALLOWED_HOSTS, the public URL's). */
  allowedHosts?: HostName[];
  /** The principals are the committed demo ones, whose tokens are published: for direct local requests only. */
  demoPrincipals?: boolean;
  /** The process's metrics, served at GET /metrics; a registry of the app's own unless given. */
  metrics?: EngineMetrics;
  /** Who may read /metrics besides this machine. */
  metricsAccess?: MetricsAccess;
  /** The administrators' portal at `/`; without it, the process serves the API alone. */
  portal?: PortalOptions;
  /** The portal's sessions: needed with `portal`. */
  portalSessions?: PortalSessions;
}
