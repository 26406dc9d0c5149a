import { NativeConnection, Worker } from '@temporalio/worker';
import type { TemporalConfig } from '../../temporal-config';
import { connectionOptions } from './connection';

export interface WorkerOptions {
  address: string;
  activities: object;
}

/** The worker for the lifecycle workflows, on the configured task queue. */
export async function createWorker(config: TemporalConfig, { address, activities }: WorkerOptions) {
  const connection = await NativeConnection.connect(connectionOptions(config, address));
  const worker = await Worker.create({
    connection,
    namespace: config.namespace,
    taskQueue: config.taskQueue,
    workflowsPath: require.resolve('../workflows'),
    activities,
  });
  return { worker, connection };
}
