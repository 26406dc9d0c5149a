import assert from 'node:assert/strict';
import type { Worker } from '@temporalio/worker';
import type { WorkflowHandle } from '@temporalio/client';
import { createActivities } from '../../src/activities';
import { createBulkActivities } from '../../src/activities/bulk';
import { accountTrail } from '../../src/operations/account-trail';
import { SqlAuditStore } from '../../src/adapters/sql/audit-store';
import { SqlBulkUploads } from '../../src/adapters/sql/bulk-uploads';
import type { SqlDatabase } from '../../src/adapters/sql/database';
import { SqlDirectory } from '../../src/adapters/sql/directory';
import { SqlIdempotencyKeys } from '../../src/adapters/sql/idempotency-keys';
import { SqlIncidents } from '../../src/adapters/sql/incidents';
import { SqlSimulatedMailPlatform } from '../../src/adapters/sql/simulated-mail-platform';
import { openSqlite } from '../../src/adapters/sql/sqlite';
import { serverTime } from '../../src/activities/server-time';
import type { SimulationSettings } from '../../src/ports/simulated-mail-platform';
import type { MailPlatform } from '../../src/ports/mail-platform';
import { AuditSealer } from '../../src/crypto/audit-sealer';
import { PasswordSealer } from '../../src/crypto/password-sealer';
import type { Actor, Profile } from '../../src/domain/account';
import type { IdentityEvent, PhoneReport } from '../../src/domain/identity-events';
import { parsePhone } from '../../src/operations/schemas/phone';
import { Principals } from '../../src/access/principals';
import { PROJECT_ROOT } from '../../src/project-root';
import type { AccountView } from '../../src/domain/lifecycle-state';
import type { EngineMetrics } from '../../src/metrics/engine-metrics';
import { snapshotOf } from '../../src/domain/organisation';
import { DEFAULT_POLICY, type LifecyclePolicy } from '../../src/domain/policy';
import { referenceData } from '../../src/reference/reference-data';
import { openAccount } from '../../src/operations/open-account';
import type { accountLifecycle } from '../../src/workflows';
import {
  getAccountQuery,
  reportIdentityEventUpdate,
  takeTemporaryPasswordUpdate,
} from '../../src/workflows/definitions';
import { endTestWorkflows } from './end-test-workflows';
import { testEnv } from './global-setup';
import { createTestWorker } from './test-worker';
import { testKeyRing } from './test-keys';

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const ADMIN: Actor = { kind: 'local-admin', id: 'admin-rj1', name: 'Alex Admin' };
export const IDENTITY: Actor = { kind: 'identity-platform', id: 'idp', name: 'NHSmail identity platform' };

let queues = 0;
/** One database for the whole run, as addresses (and so workflow IDs) are unique across all tests. */
let sharedDb: Promise<SqlDatabase> | undefined;

export interface AccountSpec {
  organisation?: string;
  profile?: Partial<Profile>;
  policy?: Partial<LifecyclePolicy>;
}

/**
 * One test's world: a worker on its own task queue, with the real activities over a simulated mail
 * platform, directory and incidents in an in-memory database, on the shared time-skipping server.
 */
export async function lifecycleHarness(
  simulation: Partial<SimulationSettings> = {},
  activityWrapper = <T>(a: T) => a,
  metrics?: EngineMetrics,
  /**
   * The worker without the workflow cache: for a test that stops the worker and starts another. The
   * time-skipping test server leaves the stopped worker's tasks and queries on its sticky queue (a Temporal
   * server moves them to the task queue after 10 s). Otherwise the SDK's cache, as deployed.
   */
  {
    restartable = false,
    mailPlatform,
  }: {
    restartable?: boolean;
    /** The platform the activities provision on, when not the simulated one (Microsoft Graph on its double). */
    mailPlatform?: MailPlatform;
  } = {},
) {
  const env = testEnv();
  const db = await (sharedDb ??= openSqlite(':memory:'));
  const platform = new SqlSimulatedMailPlatform(
    db,
    { mailboxDelayMs: 3 * HOUR, syncDelayMs: 30 * MINUTE, ...simulation },
    serverTime,
  );
  const directory = new SqlDirectory(db);
  const incidents = new SqlIncidents(db, serverTime);
  const sealer = new PasswordSealer(testKeyRing);
  const idempotency = new SqlIdempotencyKeys(db);
  const bulkUploads = new SqlBulkUploads(db);
  const audit = new SqlAuditStore(db, new AuditSealer(testKeyRing));
  const taskQueue = `lifecycle-${process.pid}-${++queues}`;
  const started: WorkflowHandle[] = [];
  // The lifecycles the activities start (a bulk upload's lines, the reconciliation's repairs) are the
  // test's too: terminated at its end like the others, as their timers would hold up later tests.
  const workflow = new Proxy(env.client.workflow, {
    get(target, prop) {
      if (prop === 'start') {
        return async (...args: Parameters<typeof target.start>) => {
          const handle = await target.start(...args);
          started.push(handle as WorkflowHandle);
          return handle;
        };
      }
      if (prop === 'executeUpdateWithStart') {
        return async (...args: Parameters<typeof target.executeUpdateWithStart>) => {
          try {
            return await target.executeUpdateWithStart(...args);
          } finally {
            const handle = await Promise.race([
              args[1].startWorkflowOperation.workflowHandle().catch(() => undefined),
              new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 1000)),
            ]);
            if (handle) started.push(handle as WorkflowHandle);
          }
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const client = new Proxy(env.client, {
    get: (target, prop) => (prop === 'workflow' ? workflow : (Reflect.get(target, prop, target) as unknown)),
  });
  const lifecycles = { client, taskQueue };
  const activities = activityWrapper({
    ...createActivities({
      platform: mailPlatform ?? platform,
      directory,
      incidents,
      audit,
      sealer,
      lifecycles,
      metrics,
      reconcileAfterMs: 0,
    }),
    ...createBulkActivities({
      ...lifecycles,
      directory,
      sealer,
      idempotency,
      bulkUploads,
      policy: DEFAULT_POLICY,
      principals: Principals.fromFile(`${PROJECT_ROOT}/config/dev-principals.json`),
    }),
  });
  /** A worker for this test's task queue, as a restart would make. */
  const newWorker = async () =>
    createTestWorker({
      taskQueue,
      activities,
      ...(restartable ? { maxCachedWorkflows: 0 } : {}),
    });
  const worker = await newWorker();

  /** Opens an account (reserves its address and starts its lifecycle) the way the API does. */
  async function start(spec: AccountSpec = {}) {
    const org = referenceData.organisation(spec.organisation ?? 'RJ1');
    assert.ok(org, `unknown organisation ${spec.organisation}`);
    const profile: Profile = {
      title: 'Dr',
      firstName: 'John',
      lastName: 'Smith',
      mobile: ukTestMobile(),
      clinicalSpecialities: ['300'],
      clinicalRoles: ['R8000'],
      workAreas: ['WA-WARD'],
      ...spec.profile,
    };
    const opening = await openAccount(
      { client: env.client, taskQueue, directory, policy: { ...DEFAULT_POLICY, ...spec.policy } },
      { profile, organisation: snapshotOf(org), notes: '', createdBy: ADMIN },
      { domain: org.emailDomains[0]!, confirmNotDuplicate: true },
    );
    assert.equal(opening.kind, 'opened');
    if (opening.kind !== 'opened') throw new Error('unreachable');
    const { account, handle } = opening;
    started.push(handle);
    const requested = await until(handle, (v) => v.provisioning.requestedAt !== null, 'mailbox requested');
    return {
      handle,
      id: account.id,
      email: account.email,
      requestedAt: Date.parse(requested.provisioning.requestedAt!),
    };
  }

  /** The temporary password, unsealed, as the API shows it. */
  async function temporaryPassword(
    handle: WorkflowHandle<typeof accountLifecycle>,
    id: string,
  ): Promise<string> {
    const { sealedTemporaryPassword } = await handle.executeUpdate(takeTemporaryPasswordUpdate);
    return sealer.unseal(sealedTemporaryPassword, id);
  }

  return {
    env,
    client: env.client,
    db,
    /** Terminates this lifecycle too when the test ends. */
    track: (handle: WorkflowHandle) => void started.push(handle),
    platform,
    directory,
    incidents,
    audit,
    /** R2: the account's whole audit trail, as the API reads it: the store's and what the lifecycle holds. */
    trail: (handle: WorkflowHandle) =>
      accountTrail(env.client, handle, audit, handle.workflowId.replace(/^account:/, '')),
    sealer,
    idempotency,
    bulkUploads,
    taskQueue,
    worker,
    newWorker,
    start,
    temporaryPassword,
    /**
     * Runs the test body with the worker polling (or `runner`, a worker made after the first stopped, as a
     * restart would), then ends each lifecycle the test started while the worker still polls
     * (endTestWorkflows), so that the shared test server skips time for later tests.
     */
    run: async <T>(body: () => Promise<T>, runner: Worker = worker): Promise<T> =>
      runner.runUntil(async () => {
        try {
          return await body();
        } finally {
          await endTestWorkflows(started);
        }
      }),
    /** Skips server time forward, letting the workflow work through every timer on the way. */
    sleep: (ms: number) => env.sleep(ms),
    now: () => env.currentTimeMs(),
  };
}

let mobiles = 0;
/** A valid UK mobile (libphonenumber's example range, 07400 1xxxxx), a different one each call. */
export function ukTestMobile(): string {
  return `+4474001${String(mobiles++ % 100000).padStart(5, '0')}`;
}

export type Harness = Awaited<ReturnType<typeof lifecycleHarness>>;

/** Queries until the account view satisfies `check` (work after a timer may still be finishing). */
export async function until(
  handle: WorkflowHandle<typeof accountLifecycle>,
  check: (view: AccountView) => boolean,
  what: string,
  timeoutMs = 15_000,
): Promise<AccountView> {
  const deadline = Date.now() + timeoutMs;
  let view = await handle.query(getAccountQuery);
  while (!check(view)) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for: ${what}; last status ${view.status}`);
    await new Promise((r) => setTimeout(r, 50));
    view = await handle.query(getAccountQuery);
  }
  return view;
}

/** A phone number as the API classifies it before reporting it to a lifecycle. */
export function reported(number: string): PhoneReport {
  const phone = parsePhone(number);
  assert.ok(phone, `${number} is not a valid phone number`);
  return phone;
}

/** The identity platform reports a first-login event (R18). */
export function report(
  handle: WorkflowHandle<typeof accountLifecycle>,
  event: IdentityEvent,
): Promise<AccountView> {
  return handle.executeUpdate(reportIdentityEventUpdate, { args: [{ actor: IDENTITY, event }] });
}

/** The user changes the password, accepts the AUP and sets the account secret (R18's first three gates). */
export async function passFirstGates(handle: WorkflowHandle<typeof accountLifecycle>): Promise<void> {
  for (const type of ['PasswordChanged', 'AupAccepted', 'SecretSet'] as const) await report(handle, { type });
}

/**
 * Lets `ms` of server time pass while the user signs in every `every` (R30), as a user in work does, so
 * the account does not become Inactive on the way.
 */
export async function liveThrough(
  h: Harness,
  handle: WorkflowHandle<typeof accountLifecycle>,
  ms: number,
  every = 20 * DAY,
): Promise<void> {
  for (let left = ms; left > 0; left -= every) {
    await h.sleep(Math.min(every, left));
    if (left > every) await report(handle, { type: 'SignedIn' });
  }
}

/** Brings a new account to Active in Exchange Online (the simulated mailbox takes 3 hours). */
export async function activeAccount(h: Harness, spec: AccountSpec = {}) {
  const started = await h.start(spec);
  await h.sleep(3 * HOUR + 30 * MINUTE);
  const view = await until(started.handle, (v) => v.status === 'Active', 'Active');
  return { ...started, view };
}
