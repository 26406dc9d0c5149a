// Every workflow the worker runs is exported from here (the worker bundles this file).
export { accountLifecycle, accountLifecycleV2 } from './account-lifecycle';
export { bulkUpload } from './bulk-upload';
export { reconcileReservations } from './reconcile-reservations';
