import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { TemporalConfig } from '../../temporal-config';
import { connectionOptions } from './connection';

export interface WorkerOptions {
  address: string;
  activities: object;
  dataConverter: DataConverter;
}

/**
 * No workflow cache (and so no sticky queue): every workflow task and every query replays the lifecycle's
 * history. The SDK's cache (TypeScript SDK 1.24) corrupts a run after a worker crash: a query answered by
 * another worker while the dead worker's workflow task waits to time out leaves that worker with a cached
 * run that has already taken the timer's firing, with the workflow clock of the task before it (the
 * replay for the query ended on a task not yet started). A replay takes it with the clock of the task that
 * did start, seconds later; a decision on the clock (is the deadline due?) then goes the other way, the
 * cached run issues commands a replay does not, and the lifecycle is stuck on a nondeterminism error from
 * its next replay on (test/smoke/crash-then-queries.test.ts; found by `npm run chaos`; a workflow that
 * decides on the timer rather than the clock passes that test with the cache). The costs, in `npm run bench`:
 * GET 19-27 ms instead of 11, creates 16 a second instead of 21.5, and workflow tasks that wait about 2 s
 * for a poller as load falls. And now and then a query that arrives while a workflow task runs is dropped
 * by the worker ("leftover buffered tasks when evicting run") and times out (the API answers 503). Put the
 * cache back once the SDK is fixed and that test passes with it.
 */
export const WORKFLOW_CACHE = { maxCachedWorkflows: 0 };

/** The worker for the lifecycle workflows, on the configured task queue. */
export async function createWorker(
  config: TemporalConfig,
  { address, activities, dataConverter }: WorkerOptions,
) {
  const connection = await NativeConnection.connect(connectionOptions(config, address));
  const worker = await Worker.create({
    connection,
    namespace: config.namespace,
    taskQueue: config.taskQueue,
    workflowsPath: require.resolve('../workflows'),
    activities,
    dataConverter,
    ...WORKFLOW_CACHE,
  });
  return { worker, connection };
}
