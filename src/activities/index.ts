import { createLifecycleActivities, type LifecycleActivityDeps } from './lifecycle';
import { createReconciliationActivities, type ReconciliationActivityDeps } from './reconciliation';

export type ActivityDeps = LifecycleActivityDeps & ReconciliationActivityDeps;

/**
 * The activities of the account lifecycles and of the reservations' reconciliation, as the worker registers
 * them (the bulk upload's are in bulk.ts). Each workflow knows its own by type: lifecycle.ts, reconciliation.ts.
 */
export function createActivities(deps: ActivityDeps) {
  return { ...createLifecycleActivities(deps), ...createReconciliationActivities(deps) };
}

export type Activities = ReturnType<typeof createActivities>;
