import { CancellationScope } from '@temporalio/workflow';

/**
 * Runs `work` protected from cancellation: in a non-cancellable scope of its own, unless the current scope
 * is one already (each scope costs the SDK several promises, and it traces every promise).
 */
export function shielded<T>(work: () => Promise<T>): Promise<T> {
  return CancellationScope.current().cancellable ? CancellationScope.nonCancellable(work) : work();
}
