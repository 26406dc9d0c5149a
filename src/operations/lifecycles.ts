import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { Directory } from '../ports/directory';
import type { NewAccount } from '../domain/account';
import type { LifecyclePolicy } from '../domain/policy';
import { accountLifecycle } from '../workflows';
import { accountWorkflowId } from '../workflows/workflow-id';
import { BulkUploadId } from '../../temporal-config/search-attributes';

/** Where account lifecycles run: the Temporal client and the task queue of their workers. */
export interface Lifecycles {
  client: Client;
  taskQueue: string;
}

export type LifecycleHandle = WorkflowHandle<typeof accountLifecycle>;

/** What a reservation keeps to start its lifecycle: the account without its address, and the policy. */
export interface StartRecord {
  account: Omit<NewAccount, 'id' | 'email'>;
  policy: LifecyclePolicy;
}

/** How long one start may take before the create gives up and leaves the start to reconciliation. */
const START_WAIT_MS = 10_000;

/**
 * Starts the account's lifecycle, or finds it already started: the workflow ID is the account's address,
 * which is never given to another account (R11), so an existing workflow with that ID is this account's.
 */
export async function startLifecycle(
  lifecycles: Lifecycles,
  account: NewAccount,
  policy: LifecyclePolicy,
): Promise<{ handle: LifecycleHandle; started: boolean }> {
  const { client, taskQueue } = lifecycles;
  const workflowId = accountWorkflowId(account.email);
  try {
    const handle = await client.connection.withDeadline(Date.now() + START_WAIT_MS, () =>
      client.workflow.start(accountLifecycle, {
        taskQueue,
        workflowId,
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        args: [{ account, policy }],
        ...(account.bulkUploadId
          ? { typedSearchAttributes: [{ key: BulkUploadId, value: account.bulkUploadId }] }
          : {}),
      }),
    );
    return { handle, started: true };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    return { handle: client.workflow.getHandle(workflowId), started: false };
  }
}

/**
 * Starts the lifecycle a reservation recorded, if it is not confirmed started yet: after a crash or an
 * outage between the reservation and the start, this finishes the job. Safe to call any number of times.
 */
export async function finishPendingStart(
  lifecycles: Lifecycles,
  directory: Directory,
  id: string,
): Promise<'started' | 'was-running' | 'nothing-pending'> {
  const pending = await directory.pendingStart(id);
  if (!pending) return 'nothing-pending';
  const record = pending.pendingStart as StartRecord;
  const account: NewAccount = { ...record.account, id: pending.id, email: pending.email };
  const { started } = await startLifecycle(lifecycles, account, record.policy);
  await directory.lifecycleStarted(id);
  return started ? 'started' : 'was-running';
}
