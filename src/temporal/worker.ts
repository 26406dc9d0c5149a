import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { TemporalConfig } from '../../temporal-config';
import { connectionOptions } from './connection';

export interface WorkerOptions {
  address: string;
  activities: object;
  dataConverter: DataConverter;
}

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
  });
  return { worker, connection };
}
