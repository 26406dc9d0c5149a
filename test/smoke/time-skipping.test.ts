import assert from 'node:assert/strict';
import { Worker } from '@temporalio/worker';
import { testEnv } from '../helpers/global-setup';
import { sleeper } from '../fixtures/smoke-workflows';
import * as activities from '../fixtures/smoke-activities';
import { testDataConverter } from '../helpers/test-keys';

const DAY = 24 * 60 * 60 * 1000;

describe('Smoke: the time-skipping test server', () => {
  it('runs a workflow that sleeps 24 hours in seconds, and the server clock moves 24 hours', async () => {
    const env = testEnv();
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'smoke-time-skipping',
      workflowsPath: require.resolve('../fixtures/smoke-workflows'),
      activities,
      dataConverter: testDataConverter,
    });
    const serverTimeBefore = await env.currentTimeMs();
    const wallBefore = Date.now();
    const result = await worker.runUntil(
      env.client.workflow.execute(sleeper, {
        taskQueue: 'smoke-time-skipping',
        workflowId: 'smoke-sleeper',
        args: [DAY],
      }),
    );
    const wallElapsed = Date.now() - wallBefore;
    const serverElapsed = (await env.currentTimeMs()) - serverTimeBefore;

    assert.ok(result.finishedAt - result.startedAt >= DAY, 'the workflow clock moved a full day');
    assert.ok(serverElapsed >= DAY, `the server clock moved ${serverElapsed} ms`);
    assert.ok(wallElapsed < 60_000, `a real day did not pass: ${wallElapsed} ms of wall time`);
  });
});
