import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { loadTemporalConfig } from '../../temporal-config';
import { startDevServer } from '../../src/servers/dev-server';
import { freePort } from '../helpers/free-port';
import { proceed, twoSteps } from '../fixtures/smoke-workflows';
import * as activities from '../fixtures/smoke-activities';

describe('Smoke: the dev server', () => {
  let dataDir: string;
  let server: TestWorkflowEnvironment | undefined;

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dev-server-smoke-'));
  });
  afterEach(async () => {
    await server?.teardown();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps a running workflow across a restart of the server on the same database file, and completes it', async () => {
    const config = loadTemporalConfig({
      ...process.env,
      DATA_DIR: dataDir,
      TEMPORAL_DEV_SERVER_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
    });
    const taskQueue = 'smoke-dev-server';
    const workflowsPath = require.resolve('../fixtures/smoke-workflows');

    server = await startDevServer(config, () => {});
    const first = await Worker.create({
      connection: server.nativeConnection,
      taskQueue,
      workflowsPath,
      activities,
    });
    const handle = await first.runUntil(async () => {
      const h = await server!.client.workflow.start(twoSteps, { taskQueue, workflowId: 'smoke-two-steps' });
      await waitForActivityCompleted(server!.client, h.workflowId);
      return h;
    });
    await server.teardown();
    server = undefined;
    assert.ok(fs.statSync(config.devServer.dbFile).size > 0, 'the database file holds the state');

    server = await startDevServer(config, () => {});
    const second = await Worker.create({
      connection: server.nativeConnection,
      taskQueue,
      workflowsPath,
      activities,
    });
    const result = await second.runUntil(async () => {
      const again = server!.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId);
      assert.equal((await again.describe()).status.name, 'RUNNING');
      await again.signal(proceed);
      return again.result();
    });
    assert.deepEqual(result, ['before restart', 'after restart']);
  });
});

async function waitForActivityCompleted(client: Client, workflowId: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    if (history.events?.some((e) => e.activityTaskCompletedEventAttributes)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the first activity never completed');
}
