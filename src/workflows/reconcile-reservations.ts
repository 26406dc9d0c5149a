import { log, proxyActivities } from '@temporalio/workflow';
import type { ReconciliationActivities } from '../activities/reconciliation';

const act = proxyActivities<ReconciliationActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumAttempts: 3 },
});

/** At most this many reservations per run; the next scheduled run takes the rest. */
const BATCH = 500;
const AT_ONCE = 10;

export interface ReconciliationReport {
  checked: number;
  /** Accounts whose lifecycle this run started: each one a repair. */
  started: string[];
  /** Lifecycles found running whose reservation was not yet marked started. */
  wereRunning: string[];
  failed: { id: string; error: string }[];
}

/**
 * R11: every reserved address gets its lifecycle. Run every minute by a Temporal Schedule: starts the
 * lifecycle of each reservation that a crash or an outage kept from starting, by its workflow ID, so a
 * lifecycle that did start is found rather than started twice.
 */
export async function reconcileReservations(): Promise<ReconciliationReport> {
  // No input: a Schedule's runs get workflow ids of their own, and the codec binds every payload to its
  // workflow; how old a reservation must be is the worker's setting (RECONCILE_AFTER).
  const ids = await act.reservationsAwaitingLifecycle(BATCH);
  const report: ReconciliationReport = { checked: ids.length, started: [], wereRunning: [], failed: [] };
  for (let i = 0; i < ids.length; i += AT_ONCE) {
    const chunk = ids.slice(i, i + AT_ONCE);
    const outcomes = await Promise.allSettled(chunk.map((id) => act.startAwaitingLifecycle(id)));
    outcomes.forEach((outcome, j) => {
      const id = chunk[j]!;
      if (outcome.status === 'rejected') report.failed.push({ id, error: causeOf(outcome.reason) });
      else if (outcome.value === 'started') report.started.push(id);
      else if (outcome.value === 'was-running') report.wereRunning.push(id);
    });
  }
  if (report.started.length + report.failed.length > 0) {
    log.warn('Reservations reconciled', {
      started: report.started.length,
      wereRunning: report.wereRunning.length,
      failed: report.failed.length,
    });
  }
  return report;
}

/** The activity's own error message, rather than the wrapper's "Activity task failed". */
function causeOf(reason: unknown): string {
  const { cause, message } = reason as { cause?: { message?: string }; message?: string };
  return cause?.message ?? message ?? String(reason);
}
