import {
  ActivityCancellationType,
  allHandlersFinished,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { BulkActivities, ChunkOutcome } from '../activities/bulk';
import { cancelBulkUploadUpdate, getBulkUploadQuery, type BulkProgress } from './bulk-definitions';

/**
 * A chunk heartbeats every second and learns of a cancel within 0.8 of the heartbeat timeout; a cancel waits
 * for the chunk to stop (its lines under way finish), so the counts it reports are final.
 */
const act = proxyActivities<BulkActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '10 seconds',
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

/** Security 7: a cancel stops the chunk under way (one retrying a line, say), not only the next one. */
const CANCEL_MID_CHUNK = 'bulk-cancel-mid-chunk';

/**
 * Lines read from the store at a time, and created per activity, all at once within it: a cancel lets at
 * most one chunk's lines finish.
 */
const BATCH = 240;
const CHUNK = 8;
/**
 * Continue as new long before Temporal's limit of 51,200 events (a chunk of lines costs six): a worker without a
 * workflow cache replays the history on every task, so a short one keeps each task cheap.
 */
const HISTORY_LIMIT = 2_000;

export interface BulkUploadInput {
  uploadId: string;
  /** Every line of the file, and those refused at validation (never created). */
  rows: number;
  invalid: number;
  startedAt: string;
  /** Carried across continue-as-new. */
  after?: number;
  created?: number;
  failed?: number;
}

/**
 * R31: creates an upload's valid lines, each through the same create as a single account (R3-R13), a
 * chunk per activity, in line order. The lines stay in the store, read a batch at a time, so the history holds
 * line numbers and outcomes only; it continues as new as it grows. Cancelling stops the chunk under way
 * (its lines under way finish). It stops, Cancelled, when the uploader may no longer create its lines
 * (Security 14: the chunk failed every line left, with the reason).
 */
export async function bulkUpload(input: BulkUploadInput): Promise<BulkProgress> {
  let after = input.after ?? 0;
  let created = input.created ?? 0;
  let failed = input.failed ?? 0;
  let cancelled = false;
  let stopped = false;
  let finishedAt: string | null = null;
  let chunkScope: CancellationScope | null = null;
  const valid = input.rows - input.invalid;
  const progress = (): BulkProgress => ({
    uploadId: input.uploadId,
    status: finishedAt === null ? 'Running' : cancelled || stopped ? 'Cancelled' : 'Completed',
    rows: input.rows,
    created,
    failed: failed + input.invalid,
    remaining: cancelled || stopped ? 0 : valid - created - failed,
    startedAt: input.startedAt,
    finishedAt,
  });
  setHandler(getBulkUploadQuery, progress);
  setHandler(cancelBulkUploadUpdate, async () => {
    cancelled = true;
    if (chunkScope && patched(CANCEL_MID_CHUNK)) chunkScope.cancel();
    await condition(() => finishedAt !== null);
    return progress();
  });

  /** A chunk's lines, in a scope a cancel can stop; cancelled before it did anything, it did nothing. */
  async function createChunk(chunk: number[]): Promise<ChunkOutcome> {
    const scope = new CancellationScope();
    chunkScope = scope;
    try {
      return await scope.run(() => act.createBulkLines(input.uploadId, chunk));
    } catch (err) {
      if (cancelled && isCancellation(err)) return { created: 0, failed: 0 };
      throw err;
    } finally {
      chunkScope = null;
    }
  }

  while (!cancelled && !stopped && workflowInfo().historyLength < HISTORY_LIMIT) {
    const lines = await act.pendingBulkLines(input.uploadId, after, BATCH);
    if (lines.length === 0) break;
    for (let i = 0; i < lines.length && !cancelled && !stopped; i += CHUNK) {
      const chunk = lines.slice(i, i + CHUNK);
      const done = await createChunk(chunk);
      created += done.created;
      failed += done.failed;
      stopped = done.stopped ?? false;
      after = chunk[chunk.length - 1]!;
    }
    setCurrentDetails(
      `Upload ${input.uploadId}: ${created} created, ${failed + input.invalid} failed, line ${after}`,
    );
  }
  if (!cancelled && !stopped && workflowInfo().historyLength >= HISTORY_LIMIT) {
    await condition(() => cancelled || allHandlersFinished());
    if (!cancelled) return continueAsNew<typeof bulkUpload>({ ...input, after, created, failed });
  }
  finishedAt = await act.finishBulkUpload(input.uploadId, cancelled || stopped ? 'Cancelled' : 'Completed');
  await condition(allHandlersFinished);
  return progress();
}
