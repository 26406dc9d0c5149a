import { Worker, type WorkerOptions } from '@temporalio/worker';
import type { WorkflowCreator } from '@temporalio/worker/lib/workflow/interface';
import { atTeardown } from './global-setup';

/** The workflow thread of each bundle (the product's, in practice), by the bundle's code. */
const threads = new Map<string, Promise<WorkflowCreator>>();

/**
 * A worker whose workflows run in the one workflow thread of this mocha process, started by its first
 * worker and kept warm for every later one, as a production worker's thread serves all its workflows.
 * A worker of its own thread would start a Node thread and load the SDK and the bundle there: some 220 ms
 * of CPU for each of the suite's few hundred workers. The thread still runs every workflow in a context of
 * its own, and a worker's shutdown still evicts and disposes its workflows; only the thread outlives it.
 * The thread is made with the first worker's options: workers of one bundle share it, and the workflows
 * schedule no local activity (the one use of the registered activity names in the thread).
 */
class TestWorker extends Worker {
  protected static override createWorkflowCreator(
    ...args: Parameters<(typeof Worker)['createWorkflowCreator']>
  ): Promise<WorkflowCreator> {
    const code = args[0].code;
    let thread = threads.get(code);
    if (!thread) {
      const started = super.createWorkflowCreator(...args);
      threads.set(code, started);
      atTeardown(async () => (await started).destroy());
      thread = started;
    }
    // A thread that failed (to start, or later) is not kept: the next worker starts one afresh.
    const drop = (err: unknown) => {
      if (threads.get(code) === thread) threads.delete(code);
      throw err;
    };
    return thread.catch(drop).then((creator) => ({
      createWorkflow: (options) => creator.createWorkflow(options).catch(drop),
      destroy: async () => {},
    }));
  }
}

export function createTestWorker(options: WorkerOptions): Promise<Worker> {
  return TestWorker.create(options);
}
