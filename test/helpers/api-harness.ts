import { Writable } from 'node:stream';
import type { Client, WorkflowHandle } from '@temporalio/client';
import supertest from 'supertest';
import { createApp } from '../../src/http/app';
import { Principals } from '../../src/access/principals';
import type { RateLimits } from '../../src/http/rate-limit';
import { metricsAccess } from '../../src/http/security/metrics-access';
import type { TrustProxy } from '../../src/http/security/trust-proxy';
import type { HostName } from '../../src/http/security/host-names';
import { AesGcmPayloadCodec } from '../../src/crypto/payload-codec';
import { DEFAULT_POLICY } from '../../src/domain/policy';
import { createLogger } from '../../src/logger';
import { EngineMetrics } from '../../src/metrics/engine-metrics';
import { PROJECT_ROOT } from '../../src/project-root';
import { SqlPortalSessions } from '../../src/adapters/sql/portal-sessions';
import type { PortalSessions } from '../../src/ports/portal-sessions';
import {
  devPrincipalsFrom,
  sessionPasswordsFrom,
  type PortalOptions,
} from '../../src/http/portal/portal-options';
import { lifecycleHarness } from './lifecycle-harness';
import { testKeyRing } from './test-keys';

/** The demo principals the README lists (config/dev-principals.json). */
export const TOKENS = {
  gstt: 'dev-local-admin-gstt-0001',
  uclhManchester: 'dev-local-admin-uclh-manchester-0002',
  pharmacy: 'dev-local-admin-pharmacy-0003',
  national: 'dev-national-admin-0004',
  identity: 'dev-identity-platform-0005',
};

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/**
 * The API over a lifecycle harness: real routes, a real worker on the time-skipping server, the demo
 * principals, and the logs captured. Workflow starts are counted (and can be made to fail, as in an
 * outage), and the workflows ended with the test.
 */
export async function apiHarness(
  options: {
    codecTrustLoopback?: boolean;
    rateLimits?: RateLimits;
    trustProxy?: TrustProxy;
    /** The principals: config/dev-principals.json unless given. */
    principals?: Principals;
    /** Serve the principals as the demo ones (published tokens: direct local requests only). */
    demoPrincipals?: boolean;
    allowedHosts?: HostName[];
    metricsToken?: string;
    portal?: boolean | Partial<PortalOptions>;
    /** The portal's session store: the harness's database, on the wall clock, unless given. */
    portalSessions?: PortalSessions;
    /** Wraps the worker's activities, to make one slow or failing. */
    activityWrapper?: <T>(activities: T) => T;
    /** The worker without the workflow cache: for a test that restarts it (lifecycleHarness). */
    workerRestartable?: boolean;
  } = {},
) {
  const faults = { failStarts: 0 };
  const metrics = new EngineMetrics();
  const h = await lifecycleHarness({}, options.activityWrapper, metrics, {
    restartable: options.workerRestartable,
  });
  const logs: string[] = [];
  const logger = createLogger(
    'info',
    new Writable({
      write(chunk, _enc, done) {
        logs.push(chunk.toString());
        done();
      },
    }),
  );
  let starts = 0;
  const workflow = withOverrides(h.client.workflow, {
    start: async (...args: Parameters<typeof h.client.workflow.start>) => {
      if (faults.failStarts > 0) {
        faults.failStarts--;
        throw Object.assign(new Error('14 UNAVAILABLE: Temporal is down (injected)'), { code: 14 });
      }
      starts++;
      const handle = await h.client.workflow.start(...args);
      h.track(handle as WorkflowHandle);
      return handle;
    },
    // The create's start with its password Update: an outage fails it, and the plain start tried after it.
    executeUpdateWithStart: async (...args: Parameters<typeof h.client.workflow.executeUpdateWithStart>) => {
      if (faults.failStarts > 0) {
        throw Object.assign(new Error('14 UNAVAILABLE: Temporal is down (injected)'), { code: 14 });
      }
      starts++;
      try {
        return await h.client.workflow.executeUpdateWithStart(...args);
      } finally {
        const started = await Promise.race([
          args[1].startWorkflowOperation.workflowHandle().catch(() => undefined),
          new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 1000)),
        ]);
        if (started) h.track(started as WorkflowHandle);
      }
    },
  });
  const client = withOverrides(h.client, { workflow }) as Client;
  const { idempotency } = h;
  const app = createApp({
    client,
    directory: h.directory,
    principals: options.principals ?? Principals.fromFile(`${PROJECT_ROOT}/config/dev-principals.json`),
    idempotency,
    bulkUploads: h.bulkUploads,
    portalSessions: options.portalSessions ?? new SqlPortalSessions(h.db),
    sealer: h.sealer,
    codec: new AesGcmPayloadCodec(testKeyRing),
    codecAccess: {
      allowedOrigins: ['http://localhost:8233'],
      trustLoopback: options.codecTrustLoopback ?? false,
    },
    taskQueue: h.taskQueue,
    policy: DEFAULT_POLICY,
    logger,
    bodyLimit: '64kb',
    isWorkerRunning: () => true,
    rateLimits: options.rateLimits,
    trustProxy: options.trustProxy,
    demoPrincipals: options.demoPrincipals,
    allowedHosts: options.allowedHosts,
    metrics,
    metricsAccess: metricsAccess(options.metricsToken),
    ...(options.portal
      ? {
          portal: {
            sessionPasswords: sessionPasswordsFrom(testKeyRing),
            secureCookies: false,
            sessionTtlSeconds: 8 * 60 * 60,
            sessionIdleSeconds: 30 * 60,
            devPrincipals: devPrincipalsFrom(`${PROJECT_ROOT}/config/dev-principals.json`),
            ...(typeof options.portal === 'object' ? options.portal : {}),
          },
        }
      : {}),
  });
  return { ...h, app, api: supertest(app), logs, starts: () => starts, faults, idempotency, metrics };
}

/** `target` with some members replaced; every other member is the target's own, bound to it. */
function withOverrides<T extends object>(target: T, overrides: Partial<Record<keyof T, unknown>>): T {
  return new Proxy(target, {
    get(t, prop) {
      if (Object.hasOwn(overrides, prop)) return overrides[prop as keyof T];
      const value = Reflect.get(t, prop, t) as unknown;
      return typeof value === 'function' ? value.bind(t) : value;
    },
  });
}

export type ApiHarness = Awaited<ReturnType<typeof apiHarness>>;

let people = 0;
/** A valid create body for a fresh person (unique name and mobile), for organisation RJ1 unless given. */
export function newPerson(overrides: Record<string, unknown> = {}) {
  const n = ++people;
  const letters = String.fromCharCode(97 + (n % 26)) + String.fromCharCode(97 + (Math.floor(n / 26) % 26));
  return {
    title: 'Dr',
    firstName: 'Testa',
    lastName: `Person${letters}${n}`,
    mobile: `074002${String(n % 100000).padStart(5, '0')}`,
    jobTitle: 'Staff Nurse',
    emailAlias: 'nhs.net',
    organisation: 'RJ1',
    clinicalSpecialities: ['300'],
    clinicalRoles: ['R8001'],
    workAreas: ['WA-WARD'],
    site: 'RJ121',
    organisationalUnit: 'RJ1-CARD-CCU',
    ...overrides,
  };
}
