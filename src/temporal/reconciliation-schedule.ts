import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { reconcileReservations } from '../workflows/reconcile-reservations';
import { RECONCILIATION_ID } from '../workflows/workflow-id';

export interface ReconciliationSettings {
  /** How often the reconciliation runs. */
  everyMs: number;
  /** How old a reservation must be before it is reconciled (the worker's activities apply it). */
  graceMs: number;
}

/**
 * Creates the Temporal Schedule that runs the reservations' reconciliation, or brings an existing one to
 * these settings. A run still going when the next is due makes that one skip.
 */
export async function ensureReconciliationSchedule(
  client: Client,
  taskQueue: string,
  settings: ReconciliationSettings,
): Promise<void> {
  const spec = { intervals: [{ every: settings.everyMs }] };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: reconcileReservations,
    workflowId: RECONCILIATION_ID,
    taskQueue,
    args: [] as [],
  };
  try {
    await client.schedule.create({
      scheduleId: RECONCILIATION_ID,
      spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(RECONCILIATION_ID).update((previous) => ({
      ...previous,
      spec,
      action,
      policies: { ...previous.policies, overlap: ScheduleOverlapPolicy.SKIP },
    }));
  }
}
