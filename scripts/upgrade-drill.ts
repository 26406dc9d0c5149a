import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { loadClusterConfig } from '../temporal-config/cluster';
import { loadKeyRing } from '../src/crypto/key-ring';
import { AesGcmPayloadCodec } from '../src/crypto/payload-codec';
import { startCluster, type Cluster } from '../src/servers/cluster/cluster';
import { killAllNow, Supervised } from '../src/servers/supervised-process';
import { ApiClient } from './chaos/api-client';
import { freePortBlock, waitForApi } from './chaos/stack';
import { freePort } from '../test/helpers/free-port';
import { DrillApi } from './upgrade-drill/api';
import { buildOf, currentBuild, type Build } from './upgrade-drill/builds';
import { drillPerson, PARKED_CASES, type ParkedCase } from './upgrade-drill/parked';
import { checkHistories, replayAll, type Parked } from './upgrade-drill/history-checks';
import { report } from './upgrade-drill/report';
import { continuousJourneys } from './upgrade-drill/rolling-journeys';

/**
 * The build in production before this one, which the drill upgrades from (`--from` or UPGRADE_FROM to
 * change it). A successor sets it to the commit production runs when they change workflow code.
 */
const DEFAULT_FROM = 'a5def87';

const startedAt = Date.now();
const log = (message: string) =>
  console.log(`[${((Date.now() - startedAt) / 1000).toFixed(1).padStart(6)} s] ${message}`);

/** Lifecycle durations short enough to park accounts in every state within a minute or two. */
const FAST = {
  POLICY_MAILBOX_FIRST_POLL_AFTER: '2s',
  POLICY_POLL_INTERVAL: '1s',
  POLICY_POLL_MAX_INTERVAL: '2s',
  POLICY_SYNC_FIRST_POLL_AFTER: '1s',
  RECONCILE_EVERY: '5s',
  RECONCILE_AFTER: '5s',
};
const API_POLICIES = {
  /** Provisioning fails after 15 s without a mailbox; a short MFA exception lasts 3 minutes. */
  standard: {
    POLICY_PROVISIONING_OVERDUE_AFTER: '10s',
    POLICY_PROVISIONING_FAIL_AFTER: '15s',
    POLICY_SHORT_MFA_EXCEPTION: '3m',
  },
  /** Inactive 20 s after the last sign-in; a leaver not accepted within 15 s is deleted. */
  short: { POLICY_INACTIVE_AFTER: '20s', POLICY_DELETE_INACTIVE_AFTER: '10m', POLICY_LEAVER_WINDOW: '15s' },
};
const MAILBOXES = { SIM_MAILBOX_DELAY: '3s', SIM_SYNC_DELAY: '2s' };
const NO_MAILBOXES = { SIM_MAILBOX_DELAY: 'never', SIM_SYNC_DELAY: '2s' };

async function main(): Promise<number> {
  const from = argument('--from') ?? process.env.UPGRADE_FROM ?? DEFAULT_FROM;
  const keep = process.argv.includes('--keep');
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhsmail-upgrade-drill-'));
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.once(signal, () => {
      killAllNow();
      if (!keep) fs.rmSync(runDir, { recursive: true, force: true });
      process.exit(1);
    });
  if (process.getuid?.() === 0) fs.chmodSync(runDir, 0o711);
  console.log(`Upgrade drill: from ${from} to this tree, on a Temporal cluster; run folder ${runDir}`);
  let cluster: Cluster | undefined;
  const children: Supervised[] = [];
  try {
    const newBuild = currentBuild();
    const oldBuild = await buildOf(from, path.join(runDir, 'old'), log);
    cluster = await startCluster(
      loadClusterConfig({
        ...process.env,
        TEMPORAL_CLUSTER_PORT: String(await freePortBlock()),
        TEMPORAL_CLUSTER_POSTGRES_PORT: String(await freePort()),
        TEMPORAL_CLUSTER_DIR: path.join(runDir, 'cluster'),
      }),
      log,
    );
    await cluster.postgres!.ensureDatabase('nhsmail');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TEMPORAL_ADDRESS: cluster.address,
      DATABASE_URL: cluster.postgres!.url('nhsmail'),
      DATABASE_POOL_SIZE: '4',
      DATA_DIR: path.join(runDir, 'data'),
      ENCRYPTION_KEYS: `drill:${crypto.randomBytes(32).toString('base64')}`,
      API_HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      WORKER_METRICS_PORT: '0',
      TEMPORAL_METRICS_ADDRESS: 'off',
      RATE_LIMIT_PER_MINUTE: '100000',
      ...FAST,
    };
    const ports = { standard: await freePort(), short: await freePort() };
    const urls = { standard: `http://127.0.0.1:${ports.standard}`, short: `http://127.0.0.1:${ports.short}` };
    const spawn = (build: Build, role: 'api' | 'worker', label: string, extra: NodeJS.ProcessEnv) => {
      const child = new Supervised(
        `${build.name} ${label}`,
        process.execPath,
        [build.main, role],
        // A principals file of a later build may name kinds an older one refuses (a SCIM client).
        { ...env, PRINCIPALS_FILE: build.principalsFile, ...extra },
        path.join(runDir, `${build.name}-${label}.log`),
        log,
      );
      children.push(child);
      child.start();
      return child;
    };
    // At info level: the drill waits for a new worker's "ready".
    const workers = (build: Build, sim: NodeJS.ProcessEnv) =>
      [1, 2].map((n) => spawn(build, 'worker', `worker-${n}`, { ...sim, LOG_LEVEL: 'info' }));
    const apis = (build: Build) =>
      (['standard', 'short'] as const).map((kind) =>
        spawn(build, 'api', `api-${kind}`, { PORT: String(ports[kind]), ...API_POLICIES[kind] }),
      );

    log(`old build ${oldBuild.commit}: two workers, two APIs (standard and short policies)`);
    let oldWorkers = workers(oldBuild, MAILBOXES);
    const runningApis = apis(oldBuild);
    await Promise.all(Object.values(urls).map((url) => waitForApi(url, 120_000)));
    const api = (kind: 'standard' | 'short') => new DrillApi(() => [urls[kind]]);

    // Parking: first everything that needs mailboxes, then (the old workers given none) the two that must not.
    const parked: Parked[] = [];
    const park = async (cases: ParkedCase[]) => {
      await Promise.all(
        cases.map(async (c) => {
          const n = PARKED_CASES.findIndex((known) => known.name === c.name);
          const person = drillPerson(n, `Parked${n}`);
          const id = await c.park(api(c.api), person);
          parked.push({ case: c, person, id, parkedStatus: '' });
          log(`parked ${id}: ${c.parkedAs}`);
        }),
      );
    };
    const late = new Set(['provisioning failed', 'pending']);
    await park(PARKED_CASES.filter((c) => !late.has(c.name)));
    await Promise.all(oldWorkers.map((w) => w.stop()));
    oldWorkers = workers(oldBuild, NO_MAILBOXES);
    await park(
      PARKED_CASES.filter((c) => late.has(c.name)).map((c) =>
        c.name === 'pending' ? { ...c, api: 'short' as const } : c,
      ),
    );
    for (const p of parked) p.parkedStatus = (await api('standard').view(p.id)).status;

    // The upgrade, while administrators keep creating accounts and users keep logging in.
    const creates = continuousJourneys(new ApiClient([urls.short, urls.standard]));
    const deployStartedAt = Date.now();
    log('deploying the new build: new workers first, then the old ones stopped, then the APIs one by one');
    const newWorkers = workers(newBuild, MAILBOXES);
    await untilLogged(newWorkers, /"msg":"ready/, 180_000);
    for (const old of oldWorkers) {
      await old.stop();
      log(`${old.name} stopped (SIGTERM)`);
    }
    for (const [i, kind] of (['standard', 'short'] as const).entries()) {
      await runningApis[i]!.stop();
      runningApis[i] = spawn(newBuild, 'api', `api-${kind}`, {
        PORT: String(ports[kind]),
        ...API_POLICIES[kind],
      });
      await waitForApi(urls[kind], 120_000);
      log(`${kind} API replaced by the new build`);
    }
    log(`deployed in ${((Date.now() - deployStartedAt) / 1000).toFixed(1)} s; waking the parked accounts`);

    await Promise.all(
      parked.map(async (p) => {
        try {
          await p.case.wake(api(p.case.api), p.id, p.person);
          p.woken = (await api('standard').view(p.id)).status;
          log(`woke ${p.id}: ${p.case.wokenAs}`);
        } catch (err) {
          p.failure = (err as Error).message;
          log(`FAILED to wake ${p.id}: ${p.failure}`);
        }
      }),
    );
    const journeys = await creates.stop();

    const codec = new AesGcmPayloadCodec(loadKeyRing(env, env.DATA_DIR!));
    const connection = await Connection.connect({ address: cluster.address });
    const client = new Client({ connection, dataConverter: { payloadCodecs: [codec] } });
    try {
      const ids = [...parked.map((p) => p.id), ...journeys.flatMap((j) => (j.id ? [j.id] : []))];
      const histories = await Promise.all(
        ids.map(async (id) => ({
          workflowId: `account:${id}`,
          history: await client.workflow.getHandle(`account:${id}`).fetchHistory(),
        })),
      );
      // Before the deploy only the old build ran; the new workers start beside the old ones, so a build that
      // completed tasks between the deploy's start and the old workers' stop is not thereby the old one.
      const checks = checkHistories(histories, parked, deployStartedAt);
      const replay = await replayAll(newBuild, histories, codec);
      return report(oldBuild, newBuild, parked, journeys, checks, replay);
    } finally {
      await connection.close();
    }
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    await cluster?.stop();
    killAllNow();
    if (!keep) fs.rmSync(runDir, { recursive: true, force: true });
  }
}

async function untilLogged(children: Supervised[], pattern: RegExp, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (const child of children) {
    while (!pattern.test(child.output())) {
      if (Date.now() > deadline) throw new Error(`${child.name} did not log ${pattern}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

process.on('exit', killAllNow);
main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
