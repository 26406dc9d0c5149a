import type { Directory } from '../ports/directory';
import type { EngineMetrics } from '../metrics/engine-metrics';
import { finishPendingStart, type Lifecycles } from '../operations/lifecycles';

export interface ReconciliationActivityDeps {
  directory: Directory;
  /** Where reconciliation starts the lifecycles a crash kept from starting. */
  lifecycles: Lifecycles;
  /** Counts the reconciliation's repairs, on the worker that made them. */
  metrics?: Pick<EngineMetrics, 'reconciliationRepair'>;
  /** How old a reservation must be before reconciliation takes it (younger ones may still be starting). */
  reconcileAfterMs: number;
}

/** R11: the side effects of the reservations' reconciliation (workflows/reconcile-reservations.ts). */
export function createReconciliationActivities({
  directory,
  lifecycles,
  metrics,
  reconcileAfterMs,
}: ReconciliationActivityDeps) {
  return {
    /** Reservations old enough to reconcile whose lifecycle is not confirmed started. */
    async reservationsAwaitingLifecycle(limit: number): Promise<string[]> {
      const pending = await directory.pendingStarts(new Date(Date.now() - reconcileAfterMs), limit);
      return pending.map((p) => p.id);
    },
    /**
     * Starts a reservation's lifecycle if it is not yet confirmed started: a repair, counted here, as only
     * this knows what it did (a retry after a lost answer may count one attempt as failed, then done).
     */
    async startAwaitingLifecycle(accountId: string): Promise<'started' | 'was-running' | 'nothing-pending'> {
      try {
        const outcome = await finishPendingStart(lifecycles, directory, accountId);
        if (outcome === 'started') metrics?.reconciliationRepair('lifecycle-started');
        if (outcome === 'was-running') metrics?.reconciliationRepair('already-running');
        return outcome;
      } catch (err) {
        metrics?.reconciliationRepair('failed');
        throw err;
      }
    },
  };
}

export type ReconciliationActivities = ReturnType<typeof createReconciliationActivities>;
