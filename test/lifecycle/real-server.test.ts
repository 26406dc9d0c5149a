import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { loadTemporalConfig } from '../../temporal-config';
import { createActivities } from '../../src/activities';
import { SqlAuditStore } from '../../src/adapters/sql/audit-store';
import { AuditSealer } from '../../src/crypto/audit-sealer';
import { SqlDirectory } from '../../src/adapters/sql/directory';
import { SqlIncidents } from '../../src/adapters/sql/incidents';
import { SqlSimulatedMailPlatform } from '../../src/adapters/sql/simulated-mail-platform';
import { openSqlite } from '../../src/adapters/sql/sqlite';
import { PasswordSealer } from '../../src/crypto/password-sealer';
import type { Profile } from '../../src/domain/account';
import { snapshotOf } from '../../src/domain/organisation';
import { DEFAULT_POLICY } from '../../src/domain/policy';
import type { StartRecord } from '../../src/operations/lifecycles';
import { openAccount } from '../../src/operations/open-account';
import { referenceData } from '../../src/reference/reference-data';
import { startDevServer } from '../../src/servers/dev-server';
import { ensureReconciliationSchedule } from '../../src/temporal/reconciliation-schedule';
import { getAccountQuery, reportIdentityEventUpdate, UNCHANGED } from '../../src/workflows/definitions';
import { accountWorkflowId, RECONCILIATION_ID } from '../../src/workflows/workflow-id';
import { freePort } from '../helpers/free-port';
import { workflowBundle } from '../helpers/global-setup';
import { ADMIN, IDENTITY, ukTestMobile } from '../helpers/lifecycle-harness';
import { testDataConverter, testKeyRing } from '../helpers/test-keys';

const profile = (lastName: string): Profile => ({
  title: 'Dr',
  firstName: 'Real',
  lastName,
  mobile: ukTestMobile(),
  clinicalSpecialities: [],
  clinicalRoles: [],
  workAreas: [],
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * What only a real server (the dev server) shows: an Update turned away by its validator leaves no trace
 * (the time-skipping test server writes a workflow task for it), and Schedules run (it cannot create them).
 */
describe('On a real Temporal server', () => {
  let dataDir: string;
  let server: TestWorkflowEnvironment | undefined;
  beforeEach(() => (dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'real-server-'))));
  afterEach(async () => {
    await server?.teardown();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** A dev server, a worker with the real activities over an in-memory database, and a client with the codec. */
  async function realServer() {
    const config = loadTemporalConfig({
      ...process.env,
      DATA_DIR: dataDir,
      TEMPORAL_DEV_SERVER_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
    });
    server = await startDevServer(config, () => {});
    const client = new Client({ connection: server.client.connection, dataConverter: testDataConverter });
    const db = await openSqlite(':memory:');
    const directory = new SqlDirectory(db);
    const taskQueue = 'real-server';
    const worker = await Worker.create({
      connection: server.nativeConnection,
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities: createActivities({
        platform: new SqlSimulatedMailPlatform(db, { mailboxDelayMs: 0, syncDelayMs: 0 }),
        directory,
        incidents: new SqlIncidents(db),
        audit: new SqlAuditStore(db, new AuditSealer(testKeyRing)),
        sealer: new PasswordSealer(testKeyRing),
        lifecycles: { client, taskQueue },
        reconcileAfterMs: 0,
      }),
      dataConverter: testDataConverter,
    });
    return { client, directory, taskQueue, worker };
  }

  it('R30: a second sign-in within a day adds no history event at all', async () => {
    const { client, directory, taskQueue, worker } = await realServer();
    await worker.runUntil(async () => {
      const opening = await openAccount(
        { client, taskQueue, directory, policy: { ...DEFAULT_POLICY, mailboxFirstPollAfterMs: 200 } },
        {
          profile: profile('Server'),
          organisation: snapshotOf(referenceData.organisation('RJ1')!),
          notes: '',
          createdBy: ADMIN,
        },
        { domain: 'nhs.net', confirmNotDuplicate: true },
      );
      assert.equal(opening.kind, 'opened');
      if (opening.kind !== 'opened') return;
      const { handle } = opening;
      for (let i = 0; i < 100 && (await handle.query(getAccountQuery)).status !== 'Active'; i++)
        await sleep(100);
      const signIn = () =>
        handle.executeUpdate(reportIdentityEventUpdate, {
          args: [{ actor: IDENTITY, event: { type: 'SignedIn' } }],
        });
      assert.notEqual((await signIn()).lastSignInAt, null, 'the first sign-in is recorded');
      await sleep(500);
      const before = (await handle.fetchHistory()).events!.length;
      const second = await signIn().catch((err: unknown) => err);
      assert.ok(
        second instanceof WorkflowUpdateFailedError && (second.cause as { type?: string }).type === UNCHANGED,
      );
      await sleep(500);
      assert.equal((await handle.fetchHistory()).events!.length, before, 'no history event');
      await handle.terminate('test finished');
    });
  });

  it('R11: the reconciliation Schedule runs, its runs read their payloads, and it starts a reservation left unstarted', async () => {
    const { client, directory, taskQueue, worker } = await realServer();
    const organisation = snapshotOf(referenceData.organisation('RJ1')!);
    const draft = { profile: profile('Schedule'), organisation, notes: '', createdBy: ADMIN };
    const pendingStart: StartRecord = { account: draft, policy: DEFAULT_POLICY };
    const {
      id: _i,
      email: _e,
      ...entry
    } = {
      id: '',
      email: '',
      displayName: 'Real Schedule',
      title: 'Dr',
      firstName: 'Real',
      lastName: 'Schedule',
      organisationCode: 'RJ1',
      organisationName: organisation.name,
      clinicalSpecialities: [],
      clinicalRoles: [],
      workAreas: [],
      phonesHidden: false,
      status: 'Pending' as const,
    };
    const reserved = await directory.reserve({
      entry,
      domain: 'nhs.net',
      confirmNotDuplicate: true,
      pendingStart,
    });
    assert.equal(reserved.kind, 'reserved');
    if (reserved.kind !== 'reserved') return;
    await worker.runUntil(async () => {
      await ensureReconciliationSchedule(client, taskQueue, { everyMs: 1000, graceMs: 0 });
      const lifecycle = client.workflow.getHandle(accountWorkflowId(reserved.email));
      let started = false;
      for (let i = 0; i < 100 && !started; i++) {
        started = await lifecycle.describe().then(
          () => true,
          () => false,
        );
        if (!started) await sleep(100);
      }
      assert.ok(started, 'the scheduled run started the lifecycle');
      assert.equal(await directory.pendingStart(reserved.id), undefined, 'nothing left to start');
      // A later run reads the previous run's result, which Temporal hands over: it must decode too.
      const schedule = client.schedule.getHandle(RECONCILIATION_ID);
      let actions: { workflow: { workflowId: string } }[] = [];
      for (let i = 0; i < 100 && actions.length < 2; i++) {
        actions = (await schedule.describe()).info.recentActions.map((a) => a.action) as typeof actions;
        if (actions.length < 2) await sleep(100);
      }
      // Every second: a loaded machine may see more than two before it looks.
      assert.ok(actions.length >= 2, `two runs or more: ${actions.length}`);
      const reports = await Promise.all(
        actions.map((a) => client.workflow.getHandle(a.workflow.workflowId).result()),
      );
      assert.ok(reports[0]!.started.includes(reserved.id), JSON.stringify(reports));
      assert.deepEqual(
        reports.slice(1).map((r) => r.started),
        reports.slice(1).map(() => []),
        'the later runs found nothing left to start',
      );
      await client.schedule.getHandle(RECONCILIATION_ID).delete();
      await lifecycle.terminate('test finished');
    });
  });
});
