import { createAuditActivities, type AuditActivityDeps } from './audit';
import { createLifecycleActivities, type LifecycleActivityDeps } from './lifecycle';
import { createReconciliationActivities, type ReconciliationActivityDeps } from './reconciliation';

export type ActivityDeps = LifecycleActivityDeps & AuditActivityDeps & ReconciliationActivityDeps;

/**
 * The activities of the account lifecycles (their audit trail's too) and of the reservations' reconciliation,
 * as the worker registers them (the bulk upload's are in bulk.ts). Each workflow knows its own by type:
 * lifecycle.ts, audit.ts, reconciliation.ts.
 */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createLifecycleActivities(deps),
    ...createAuditActivities(deps),
    ...createReconciliationActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
