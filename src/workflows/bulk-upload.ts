import {
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { createInChunks } from './bulk-chunks';
import { cancelBulkUploadUpdate, getBulkUploadQuery, type BulkProgress } from './bulk-definitions';
import { createInLanes } from './bulk-lanes';
import { act, historyFull, newUploadRun, progressOf, type BulkUploadInput } from './bulk-run';

export type { BulkUploadInput } from './bulk-run';

/** R31: lines created in lanes, BULK_LINES_AT_ONCE under way at all times, rather than chunk after chunk. */
const LANES = 'bulk-lanes';

/**
 * R31: creates an upload's valid lines, each through the same create as a single account (R3-R13), in line
 * order, a bounded number at once. The lines stay in the store, read a batch at a time, so the history holds
 * line numbers and outcomes only; it continues as new as it grows. Cancelling stops the chunks under way
 * (their lines under way finish). It stops, Cancelled, when the uploader may no longer create its lines
 * (Security 14: every line left fails, with the reason).
 */
export async function bulkUpload(input: BulkUploadInput): Promise<BulkProgress> {
  const run = newUploadRun(input);
  setHandler(getBulkUploadQuery, () => progressOf(run));
  setHandler(cancelBulkUploadUpdate, async () => {
    run.cancelled = true;
    run.cancelChunks();
    await condition(() => run.finishedAt !== null);
    return progressOf(run);
  });

  const inLanes = patched(LANES);
  await (inLanes ? createInLanes(run) : createInChunks(run));
  if (!run.cancelled && !run.stopped && historyFull(run, workflowInfo().historyLength)) {
    await condition(() => run.cancelled || allHandlersFinished());
    if (!run.cancelled) {
      const { after, later, created, failed } = run;
      return continueAsNew<typeof bulkUpload>({
        ...input,
        after,
        created,
        failed,
        ...(later.length ? { later } : {}),
      });
    }
  }
  if (run.stopped && inLanes) run.failed += await act.stopBulkUpload(input.uploadId);
  run.finishedAt = await act.finishBulkUpload(
    input.uploadId,
    run.cancelled || run.stopped ? 'Cancelled' : 'Completed',
  );
  await condition(allHandlersFinished);
  return progressOf(run);
}
