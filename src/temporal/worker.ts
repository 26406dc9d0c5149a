import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { TemporalConfig } from '../../temporal-config';
import { connectionOptions } from './connection';
import { workflowBundle } from './workflow-bundle';

/** How often at most an activity's heartbeats are sent to Temporal. */
export const HEARTBEAT_THROTTLE = '1 second';

export interface WorkerOptions {
  connection: NativeConnection;
  activities: object;
  dataConverter: DataConverter;
}

/** The worker's own connection to Temporal; rejects when Temporal does not answer. */
export function connectWorker(config: TemporalConfig, address: string): Promise<NativeConnection> {
  return NativeConnection.connect(connectionOptions(config, address));
}

/**
 * The worker for the lifecycle workflows, on the configured task queue, with the SDK's workflow cache of
 * WORKER_CACHED_WORKFLOWS runs (each costs memory, see the README's Measuring; the least recently used is
 * evicted first, and replayed from its history at its next task): a run's next task and its queries go to the
 * worker that holds it (its sticky queue) and continue it in memory instead of replaying its history. A worker that stops gracefully hands its runs back
 * at once; one that crashes leaves them waiting up to 10 s (the sticky queue's timeout) for another worker.
 * The lifecycle judges its deadlines by its timers, not the clock, which a cached run may hold wrong after a
 * crash (see untilDeadline).
 */
export async function createWorker(
  config: TemporalConfig,
  { connection, activities, dataConverter }: WorkerOptions,
) {
  return Worker.create({
    connection,
    namespace: config.namespace,
    taskQueue: config.taskQueue,
    workflowBundle: await workflowBundle(require.resolve('../workflows'), config.tools.cacheDir),
    activities,
    dataConverter,
    maxCachedWorkflows: config.cachedWorkflows,
    // A bulk upload's lanes (the only activities that heartbeat) learn of a cancel at their next heartbeat
    // sent: every second, rather than 0.8 of their heartbeat timeout, so that a cancel stops them at once.
    maxHeartbeatThrottleInterval: HEARTBEAT_THROTTLE,
  });
}
