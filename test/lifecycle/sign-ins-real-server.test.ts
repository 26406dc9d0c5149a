import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { loadTemporalConfig } from '../../temporal-config';
import { createActivities } from '../../src/activities';
import { openDatabase } from '../../src/adapters/sqlite/database';
import { SqliteSimulatedMailPlatform } from '../../src/adapters/sqlite/sqlite-simulated-mail-platform';
import { SqliteDirectory } from '../../src/adapters/sqlite/sqlite-directory';
import { SqliteIncidents } from '../../src/adapters/sqlite/sqlite-incidents';
import { PasswordSealer } from '../../src/crypto/password-sealer';
import { snapshotOf } from '../../src/domain/organisation';
import { DEFAULT_POLICY } from '../../src/domain/policy';
import { openAccount } from '../../src/operations/open-account';
import { referenceData } from '../../src/reference/reference-data';
import { startDevServer } from '../../src/servers/dev-server';
import { getAccount, reportIdentityEvent, UNCHANGED } from '../../src/workflows/definitions';
import { freePort } from '../helpers/free-port';
import { workflowBundle } from '../helpers/global-setup';
import { ADMIN, IDENTITY, ukTestMobile } from '../helpers/lifecycle-harness';
import { testDataConverter, testKeyRing } from '../helpers/test-keys';

/**
 * On a real server (the dev server), where an Update turned away by its validator leaves no trace: the
 * time-skipping test server writes a workflow task for it, so this one rule is proven here.
 */
describe('R30 on a real Temporal server', () => {
  let dataDir: string;
  let server: TestWorkflowEnvironment | undefined;
  beforeEach(() => (dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sign-ins-'))));
  afterEach(async () => {
    await server?.teardown();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('R30: a second sign-in within a day adds no history event at all', async () => {
    const config = loadTemporalConfig({
      ...process.env,
      DATA_DIR: dataDir,
      TEMPORAL_DEV_SERVER_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
    });
    server = await startDevServer(config, () => {});
    const client = server.client;
    const db = openDatabase(':memory:');
    const directory = new SqliteDirectory(db);
    const taskQueue = 'sign-ins';
    const activities = createActivities({
      platform: new SqliteSimulatedMailPlatform(db, { mailboxDelayMs: 0, syncDelayMs: 0 }),
      directory,
      incidents: new SqliteIncidents(db),
      sealer: new PasswordSealer(testKeyRing),
      lifecycles: { client, taskQueue },
    });
    const worker = await Worker.create({
      connection: server.nativeConnection,
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities,
      dataConverter: testDataConverter,
    });
    const coded = new Client({ connection: client.connection, dataConverter: testDataConverter });
    await worker.runUntil(async () => {
      const opening = await openAccount(
        { client: coded, taskQueue, directory, policy: { ...DEFAULT_POLICY, mailboxFirstPollAfterMs: 200 } },
        {
          profile: {
            title: 'Dr',
            firstName: 'Real',
            lastName: 'Server',
            mobile: ukTestMobile(),
            clinicalSpecialities: [],
            clinicalRoles: [],
            workAreas: [],
          },
          organisation: snapshotOf(referenceData.organisation('RJ1')!),
          notes: '',
          createdBy: ADMIN,
        },
        { domain: 'nhs.net', confirmNotDuplicate: true },
      );
      assert.equal(opening.kind, 'opened');
      if (opening.kind !== 'opened') return;
      const { handle } = opening;
      for (let i = 0; i < 100 && (await handle.query(getAccount)).status !== 'Active'; i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      const signIn = () =>
        handle.executeUpdate(reportIdentityEvent, {
          args: [{ actor: IDENTITY, event: { type: 'SignedIn' } }],
        });
      assert.notEqual((await signIn()).lastSignInAt, null, 'the first sign-in is recorded');
      await new Promise((r) => setTimeout(r, 500));
      const before = (await handle.fetchHistory()).events!.length;
      const second = await signIn().catch((err: unknown) => err);
      assert.ok(
        second instanceof WorkflowUpdateFailedError && (second.cause as { type?: string }).type === UNCHANGED,
      );
      await new Promise((r) => setTimeout(r, 500));
      assert.equal((await handle.fetchHistory()).events!.length, before, 'no history event');
      await handle.terminate('test finished');
    });
  });
});
