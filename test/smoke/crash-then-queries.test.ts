import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { loadTemporalConfig } from '../../temporal-config';
import { startDevServer } from '../../src/servers/dev-server';
import { freePort } from '../helpers/free-port';
import { clockReadings, pollEveryTwoSeconds } from '../fixtures/smoke-workflows';
import * as activities from '../fixtures/smoke-activities';

const workflowsPath = require.resolve('../fixtures/smoke-workflows');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Found by `npm run chaos`: a worker is SIGKILLed while a workflow waits on a timer; the timer fires and its
 * workflow task waits, on the dead worker's sticky queue, to time out (10 s). Meanwhile the API queries the
 * workflow (every GET /v1/accounts/{id}), and another worker answers from a replay of the history. With the
 * SDK's workflow cache (Temporal TypeScript SDK 1.24), that worker keeps the replayed run, which has taken
 * the timer's firing with the clock of the task before it. A workflow that then judged on the clock whether
 * its deadline was due issued a new timer where a replay polls: the history held commands the workflow code
 * does not make, and the run failed with a nondeterminism error (TMPRL1100) from its next replay on. The
 * fixture waits as the lifecycle does (untilDeadline: the timer that fired decides), with the cache on.
 */
describe('Smoke: a worker crash followed by queries', () => {
  let dataDir: string;
  let server: TestWorkflowEnvironment | undefined;
  let crashing: ChildProcess | undefined;

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crash-queries-smoke-'));
  });
  afterEach(async () => {
    crashing?.kill('SIGKILL');
    await server?.teardown();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('leaves a workflow that waits as the lifecycle does deterministic, with the workflow cache: its history replays, and it polls on', async () => {
    const config = loadTemporalConfig({
      ...process.env,
      DATA_DIR: dataDir,
      TEMPORAL_DEV_SERVER_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
    });
    server = await startDevServer(config, () => {});
    const taskQueue = 'smoke-crash-then-queries';

    crashing = await startCrashingWorker(server.address, taskQueue);
    const handle = await server.client.workflow.start(pollEveryTwoSeconds, {
      taskQueue,
      workflowId: 'smoke-crash-then-queries',
    });
    await until(async () => (await timersStarted(handle)) >= 2); // one poll done, the next timer running
    crashing.kill('SIGKILL');

    const worker = await Worker.create({
      connection: server.nativeConnection,
      taskQueue,
      workflowsPath,
      activities,
    });
    const history = await worker.runUntil(async () => {
      // Queries while the dead worker's task waits to time out, until two more polls have run.
      await until(async () => {
        await handle.query(clockReadings);
        return (await activitiesCompleted(handle)) >= 3;
      }, 500);
      return handle.fetchHistory();
    });
    await handle.terminate('test finished');

    await assert.doesNotReject(
      Worker.runReplayHistory({ workflowsPath }, history, handle.workflowId),
      'the history replays without a nondeterminism error',
    );
  });
});

async function startCrashingWorker(address: string, taskQueue: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', require.resolve('../fixtures/crashing-worker'), address, taskQueue],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the worker process exited with ${code}`)));
  });
  return child;
}

async function until(condition: () => Promise<boolean>, everyMs = 100, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(everyMs);
  }
}

async function events(handle: WorkflowHandle) {
  return (await handle.fetchHistory()).events ?? [];
}
const timersStarted = async (handle: WorkflowHandle) =>
  (await events(handle)).filter((e) => e.timerStartedEventAttributes).length;
const activitiesCompleted = async (handle: WorkflowHandle) =>
  (await events(handle)).filter((e) => e.activityTaskCompletedEventAttributes).length;
