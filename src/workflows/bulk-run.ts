import { ActivityCancellationType, proxyActivities } from '@temporalio/workflow';
import type { BulkActivities } from '../activities/bulk';
import type { BulkProgress } from './bulk-definitions';

/**
 * A chunk heartbeats every second and learns of a cancel within 0.8 of the heartbeat timeout; a cancel waits
 * for the chunk to stop (its lines under way finish), so the counts it reports are final.
 */
export const act = proxyActivities<BulkActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '10 seconds',
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

/**
 * Continue as new long before Temporal's limit of 51,200 events (a chunk of lines costs about six): a worker
 * without the run in its cache replays the history on every task, so a short one keeps each task cheap.
 */
export const HISTORY_LIMIT = 2_000;

export interface BulkUploadInput {
  uploadId: string;
  /** Every line of the file, and those refused at validation (never created). */
  rows: number;
  invalid: number;
  startedAt: string;
  /** The events at which a run continues as new: HISTORY_LIMIT unless given (a test gives a small one). */
  historyLimit?: number;
  /** Carried across continue-as-new: every line up to `after` is done, but those `later`. */
  after?: number;
  later?: number[];
  created?: number;
  failed?: number;
}

/** One run of an upload's workflow: how far it is, and what a cancel stops. */
export interface UploadRun {
  readonly input: BulkUploadInput;
  /** The last line handed to a chunk. */
  after: number;
  /** Lines another attempt held (one on a worker that died), to be tried again. */
  later: number[];
  created: number;
  failed: number;
  cancelled: boolean;
  /** The uploader may no longer create its lines (Security 14). */
  stopped: boolean;
  finishedAt: string | null;
  /** Stops the chunks under way; set by the way the run creates its lines. */
  cancelChunks: () => void;
}

export function newUploadRun(input: BulkUploadInput): UploadRun {
  return {
    input,
    after: input.after ?? 0,
    later: input.later ?? [],
    created: input.created ?? 0,
    failed: input.failed ?? 0,
    cancelled: false,
    stopped: false,
    finishedAt: null,
    cancelChunks: () => undefined,
  };
}

/** Whether the run's history has reached the length at which it continues as new. */
export const historyFull = (run: UploadRun, historyLength: number) =>
  historyLength >= (run.input.historyLimit ?? HISTORY_LIMIT);

/** Whether the run may start another chunk: not cancelled or stopped, and its history short enough. */
export const goesOn = (run: UploadRun, historyLength: number) =>
  !run.cancelled && !run.stopped && !historyFull(run, historyLength);

/** R31: the upload's progress (done / failed / remaining), as the run counts it. */
export function progressOf(run: UploadRun): BulkProgress {
  const { input, created, failed, finishedAt } = run;
  const ended = run.cancelled || run.stopped;
  return {
    uploadId: input.uploadId,
    status: finishedAt === null ? 'Running' : ended ? 'Cancelled' : 'Completed',
    rows: input.rows,
    created,
    failed: failed + input.invalid,
    remaining: ended ? 0 : input.rows - input.invalid - created - failed,
    startedAt: input.startedAt,
    finishedAt,
  };
}

/** What a chunk's activity reported, added to the run's counts. */
export function count(run: UploadRun, done: { created: number; failed: number; stopped?: true }): void {
  run.created += done.created;
  run.failed += done.failed;
  if (done.stopped) run.stopped = true;
}
