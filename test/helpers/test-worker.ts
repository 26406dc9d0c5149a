import { Worker, type WorkerOptions } from '@temporalio/worker';
import type { WorkflowCreator } from '@temporalio/worker/lib/workflow/interface';
import { atTeardown, testEnv, workflowBundle } from './global-setup';
import { testDataConverter } from './test-keys';

/** The workflow thread every test worker of this mocha process shares, once the first has started it. */
let thread: Promise<WorkflowCreator> | undefined;

/**
 * A worker whose workflows run in the one workflow thread of this mocha process, started by its first
 * worker and kept warm for every later one, as a production worker's thread serves all its workflows.
 * A worker of its own thread would start a Node thread and load the SDK and the bundle there: some 220 ms
 * of CPU for each of the suite's few hundred workers. The thread still runs every workflow in a context of
 * its own, and a worker's shutdown still evicts and disposes its workflows; only the thread outlives it.
 * The thread is made with the first worker's options: every test worker has the product's bundle, and the
 * workflows schedule no local activity (the one use of the registered activity names in the thread).
 */
class TestWorker extends Worker {
  protected static override createWorkflowCreator(
    ...args: Parameters<(typeof Worker)['createWorkflowCreator']>
  ): Promise<WorkflowCreator> {
    if (!thread) {
      const started = super.createWorkflowCreator(...args);
      atTeardown(async () => (await started).destroy());
      thread = started;
    }
    const shared = thread;
    // A thread that failed (to start, or later) is not kept: the next worker starts one afresh.
    const drop = (err: unknown) => {
      if (thread === shared) thread = undefined;
      throw err;
    };
    return shared.catch(drop).then((creator) => ({
      createWorkflow: (options) => creator.createWorkflow(options).catch(drop),
      destroy: async () => {},
    }));
  }
}

/** A worker of the product's workflows on the shared test server, its payloads encrypted as the engine's. */
export async function createTestWorker(
  options: Omit<WorkerOptions, 'connection' | 'workflowBundle' | 'workflowsPath' | 'dataConverter'>,
): Promise<Worker> {
  return TestWorker.create({
    connection: testEnv().nativeConnection,
    workflowBundle: await workflowBundle(),
    dataConverter: testDataConverter,
    ...options,
  });
}
