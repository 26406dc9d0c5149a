import type { WorkflowHandle } from '@temporalio/client';
import { createActivities } from '../../src/activities';
import { createBulkActivities } from '../../src/activities/bulk';
import { Principals } from '../../src/access/principals';
import { PasswordSealer } from '../../src/crypto/password-sealer';
import { DEFAULT_POLICY } from '../../src/domain/policy';
import type { BulkDeps } from '../../src/operations/bulk-uploads';
import { PROJECT_ROOT } from '../../src/project-root';
import { endTestWorkflows } from '../helpers/end-test-workflows';
import { testEnv } from '../helpers/global-setup';
import { createTestWorker } from '../helpers/test-worker';
import type { TestStores } from '../helpers/store-backends';
import { testKeyRing } from '../helpers/test-keys';

let queues = 0;

/** The demo principals (config/dev-principals.json), as the API and the worker read them. */
export const devPrincipals = () => Principals.fromFile(`${PROJECT_ROOT}/config/dev-principals.json`);

/**
 * Bulk uploads over the given stores (SQLite or PostgreSQL): a worker with the real activities on the
 * shared time-skipping server, and the operations' dependencies, to call them as the API does. Every
 * workflow the test starts is ended with it (endTestWorkflows).
 */
export async function bulkHarness(
  stores: TestStores,
  options: {
    principals?: () => Pick<Principals, 'byId'>;
    activityWrapper?: <T>(activities: T) => T;
    /** R31: BULK_LINES_AT_ONCE of the worker; its default unless given. */
    linesAtOnce?: number;
    /** The events at which an upload's run continues as new, given to each upload started. */
    historyLimit?: number;
  } = {},
) {
  const env = testEnv();
  const taskQueue = `bulk-${process.pid}-${++queues}`;
  const started: WorkflowHandle[] = [];
  const workflow = new Proxy(env.client.workflow, {
    get(target, prop) {
      if (prop === 'start' || prop === 'executeUpdateWithStart') {
        return async (...args: unknown[]) => {
          const call = Reflect.get(target, prop, target) as (...a: unknown[]) => Promise<unknown>;
          const start = args[1] as { args?: [Record<string, unknown>] } | undefined;
          if (prop === 'start' && options.historyLimit && start?.args?.[0]?.uploadId) {
            start.args = [{ ...start.args[0], historyLimit: options.historyLimit }];
          }
          try {
            const result = await call.apply(target, args);
            if (prop === 'start') started.push(result as WorkflowHandle);
            return result;
          } finally {
            if (prop === 'executeUpdateWithStart') {
              const op = (
                args[1] as { startWorkflowOperation: { workflowHandle(): Promise<WorkflowHandle> } }
              ).startWorkflowOperation;
              const handle = await Promise.race([
                op.workflowHandle().catch(() => undefined),
                new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 1000)),
              ]);
              if (handle) started.push(handle);
            }
          }
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const client = new Proxy(env.client, {
    get: (target, prop) => (prop === 'workflow' ? workflow : (Reflect.get(target, prop, target) as unknown)),
  });
  const sealer = new PasswordSealer(testKeyRing);
  const principals = options.principals ?? devPrincipals;
  const deps: BulkDeps = {
    client,
    taskQueue,
    directory: stores.directory,
    idempotency: stores.idempotency,
    bulkUploads: stores.bulkUploads,
    sealer,
    policy: DEFAULT_POLICY,
  };
  const wrap = options.activityWrapper ?? (<T>(a: T) => a);
  const activities = wrap({
    ...createActivities({
      platform: stores.platform,
      directory: stores.directory,
      incidents: stores.incidents,
      audit: stores.audit,
      sealer,
      lifecycles: { client, taskQueue },
      reconcileAfterMs: 0,
    }),
    ...createBulkActivities({
      ...deps,
      principals: { byId: (id) => principals().byId(id) },
      linesAtOnce: options.linesAtOnce,
    }),
  });
  const worker = await createTestWorker({ taskQueue, activities });
  return {
    deps,
    stores,
    sealer,
    run: async <T>(body: () => Promise<T>): Promise<T> =>
      worker.runUntil(async () => {
        try {
          return await body();
        } finally {
          await endTestWorkflows(started);
        }
      }),
  };
}

export type BulkHarness = Awaited<ReturnType<typeof bulkHarness>>;
