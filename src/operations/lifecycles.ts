import {
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowUpdateFailedError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { withinDeadline } from '../temporal/deadline';
import { takeTemporaryPasswordUpdate } from '../workflows/definitions';
import type { Directory } from '../ports/directory';
import type { NewAccount } from '../domain/account';
import type { LifecyclePolicy } from '../domain/policy';
import { accountLifecycleV2 } from '../workflows/account-lifecycle';
import type { LifecycleInput } from '../workflows/account-lifecycle';
import { initialSearchAttributes } from '../domain/account-search-attributes';
import { initialState } from '../domain/lifecycle-state';
import { accountWorkflowId } from '../workflows/workflow-id';
import { lifecycleRunSummary } from './run-summaries';
import { BulkUploadId } from '../../temporal-config/search-attributes';

/** Where account lifecycles run: the Temporal client and the task queue of their workers. */
export interface Lifecycles {
  client: Client;
  taskQueue: string;
}

export type LifecycleHandle = WorkflowHandle<typeof accountLifecycleV2>;

/** What a reservation keeps to start its lifecycle: the account without its address, and the policy. */
export interface StartRecord {
  account: Omit<NewAccount, 'id' | 'email'>;
  policy: LifecyclePolicy;
}

/** How long one start may take before the create gives up and leaves the start to reconciliation. */
const START_WAIT_MS = 10_000;

/**
 * How an account's lifecycle is started, after its reservation: its ID is the account's address, its input
 * the account; it starts with the search attributes of its initial state, whose directory entry the
 * reservation wrote, so that its first step publishes neither again; Temporal Web shows its summary.
 */
function startOptions({ taskQueue }: Lifecycles, account: NewAccount, policy: LifecyclePolicy) {
  const input: LifecycleInput = { account, policy, startedFromReservation: true, writesAuditStore: true };
  return {
    taskQueue,
    workflowId: accountWorkflowId(account.email),
    workflowIdReusePolicy: 'REJECT_DUPLICATE' as const,
    args: [input] as [LifecycleInput],
    typedSearchAttributes: [
      ...initialSearchAttributes(initialState(account, new Date())),
      ...(account.bulkUploadId ? [{ key: BulkUploadId, value: account.bulkUploadId }] : []),
    ],
    ...lifecycleRunSummary(account),
  };
}

/**
 * Starts the account's lifecycle, or finds it already started: the workflow ID is the account's address,
 * which is never given to another account (R11), so an existing workflow with that ID is this account's.
 */
export async function startLifecycle(
  lifecycles: Lifecycles,
  account: NewAccount,
  policy: LifecyclePolicy,
): Promise<{ handle: LifecycleHandle; started: boolean }> {
  const { client } = lifecycles;
  const options = startOptions(lifecycles, account, policy);
  try {
    const handle = await client.connection.withDeadline(Date.now() + START_WAIT_MS, () =>
      client.workflow.start(accountLifecycleV2, options),
    );
    return { handle, started: true };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    return { handle: client.workflow.getHandle(options.workflowId), started: false };
  }
}

/**
 * What the start learnt of the temporary password: the sealed password; shown before (R13); not now (the
 * lifecycle started, but did not answer in time: a slow or stopped worker); or unknown (collect it).
 */
export type PasswordAtStart =
  { kind: 'taken'; sealed: string } | { kind: 'shown-before' } | { kind: 'not-now' } | { kind: 'unknown' };

/**
 * R13 in one round trip: starts the lifecycle (or reaches the running one) and takes the temporary password
 * it sets (Update-with-Start). If it is not known whether the lifecycle started, it is started (or found)
 * the usual way, and the password is left to be collected.
 */
export async function startLifecycleTakingPassword(
  lifecycles: Lifecycles,
  account: NewAccount,
  policy: LifecyclePolicy,
  updateId?: string,
): Promise<{ handle: LifecycleHandle; password: PasswordAtStart }> {
  const { client } = lifecycles;
  const start = new WithStartWorkflowOperation(accountLifecycleV2, {
    ...startOptions(lifecycles, account, policy),
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  try {
    const { sealedTemporaryPassword } = await withinDeadline(client, () =>
      client.workflow.executeUpdateWithStart(takeTemporaryPasswordUpdate, {
        startWorkflowOperation: start,
        ...(updateId ? { updateId } : {}),
      }),
    );
    return {
      handle: await start.workflowHandle(),
      password: { kind: 'taken', sealed: sealedTemporaryPassword },
    };
  } catch (err) {
    // Settled by the SDK once Temporal answered the start; not at all if the call failed before sending it.
    const handle = await Promise.race([
      start.workflowHandle().catch(() => undefined),
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 1000).unref()),
    ]);
    if (handle) {
      return {
        handle,
        password: { kind: err instanceof WorkflowUpdateFailedError ? 'shown-before' : 'not-now' },
      };
    }
    return {
      handle: (await startLifecycle(lifecycles, account, policy)).handle,
      password: { kind: 'unknown' },
    };
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
