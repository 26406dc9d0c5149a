import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Principal, Principals } from '../access/principals';
import { DEFAULT_BULK_SETTINGS } from '../bulk/bulk-settings';
import { OperationError } from '../operations/errors';
import type { BulkUpload, BulkUploads, BulkUploadStatus } from '../ports/bulk-uploads';
import { createLine, type BulkLineDeps } from './bulk-line';
import { currentUploader } from './bulk-uploader';

export { LINE_ATTEMPTS } from './bulk-line';

export interface BulkActivityDeps extends BulkLineDeps {
  /** Security 14: the principals as they are now; the uploader is looked up again for each chunk. */
  principals: Pick<Principals, 'byId'>;
  /** R31: lines an upload has under way at once (BULK_LINES_AT_ONCE); its default unless given. */
  linesAtOnce?: number;
}

/** The lines of a chunk created at once by uploads started before lanes (the workflow sends chunks of 8). */
export const LINES_AT_ONCE = 8;

/** How often a chunk tells Temporal it is alive, and so learns of a cancel, while its lines are created. */
const HEARTBEAT_EVERY_MS = 1000;

/**
 * What a chunk did: its lines' outcomes; `stopped` when the upload can go no further (Security 14); `later`,
 * the lines another attempt still holds (one on a worker that died), to be tried again later.
 */
export interface ChunkOutcome {
  created: number;
  failed: number;
  stopped?: true;
  later?: number[];
}

/**
 * A line whose idempotency key another attempt holds (one that died with its worker holds it a minute): only
 * early, so a lane leaves it for later and goes on with its other lines.
 */
const heldByAnotherAttempt = (err: unknown) =>
  err instanceof OperationError && err.kind === 'conflict' && err.transient;

/** R31: the side effects of a bulk upload. Each is idempotent: a line is created once, however often it runs. */
export function createBulkActivities(deps: BulkActivityDeps) {
  const { bulkUploads: uploads } = deps;
  const linesAtOnce = deps.linesAtOnce ?? DEFAULT_BULK_SETTINGS.linesAtOnce;

  /**
   * The chunk's lines, `atOnce` at a time, heartbeating while they run. A line already done reports its
   * outcome again, so a retry counts it once. Cancelled, it starts no new line, lets those under way finish,
   * and reports what it did. The uploader is checked first (Security 14): `gone` says what then.
   */
  async function createLines(
    uploadId: string,
    lines: number[],
    { atOnce, defer }: { atOnce: number; defer: boolean },
    gone: (upload: BulkUpload, reason: string) => Promise<ChunkOutcome>,
  ): Promise<ChunkOutcome> {
    const context = Context.current();
    const upload = await uploads.get(uploadId);
    if (!upload) throw ApplicationFailure.nonRetryable(`No upload ${uploadId}`);
    const uploader = currentUploader(deps.principals, upload);
    if (typeof uploader === 'string') return gone(upload, uploader);
    const tally = { created: 0, failed: 0 };
    const later: number[] = [];
    const errors: unknown[] = [];
    let next = 0;
    const worker = async (who: Principal) => {
      while (next < lines.length && errors.length === 0 && !context.cancellationSignal.aborted) {
        const line = lines[next++]!;
        try {
          tally[await createLine(deps, upload, who, line, context.info.attempt)]++;
          context.heartbeat(tally.created + tally.failed);
        } catch (err) {
          if (defer && heldByAnotherAttempt(err)) later.push(line);
          else errors.push(err);
        }
      }
    };
    const beat = setInterval(() => context.heartbeat(tally.created + tally.failed), HEARTBEAT_EVERY_MS);
    try {
      await Promise.all(Array.from({ length: Math.min(atOnce, lines.length) }, () => worker(uploader)));
    } finally {
      clearInterval(beat);
    }
    if (errors.length) throw errors[0];
    // Stopped part-way by anything but the upload's cancel (the worker shutting down, say): the chunk is not
    // done, and this attempt confirms it was cancelled, so that another attempt creates the lines left.
    if (next < lines.length && !context.cancellationDetails?.cancelRequested) {
      throw context.cancellationSignal.reason ?? new Error('the chunk stopped part-way');
    }
    return later.length ? { ...tally, later } : tally;
  }

  return {
    /** Uploads started before lanes: the pending lines after `afterLine`. */
    pendingBulkLines(uploadId: string, afterLine: number, limit: number): Promise<number[]> {
      return uploads.pendingLines(uploadId, afterLine, limit);
    },

    /** R31: the next pending lines after `afterLine`, and how many lines this worker has under way at once. */
    async nextBulkLines(
      uploadId: string,
      afterLine: number,
      limit: number,
    ): Promise<{ lines: number[]; linesAtOnce: number }> {
      return { lines: await uploads.pendingLines(uploadId, afterLine, limit), linesAtOnce };
    },

    /** Uploads started before lanes: a chunk's lines all at once (8); the uploader gone, every line left fails. */
    createBulkLines(uploadId: string, lines: number[]): Promise<ChunkOutcome> {
      return createLines(uploadId, lines, { atOnce: LINES_AT_ONCE, defer: false }, (upload, reason) =>
        stopUpload(uploads, upload, lines, reason),
      );
    },

    /**
     * R31: a lane's chunk, its lines one after the other; a line another attempt still holds is reported for
     * later. With the uploader gone (Security 14), its own lines fail with the reason and it reports the upload
     * stopped; the other lanes' lines are theirs to finish.
     */
    createBulkLane(uploadId: string, lines: number[]): Promise<ChunkOutcome> {
      return createLines(uploadId, lines, { atOnce: 1, defer: true }, (upload, reason) =>
        failLines(uploads, upload, lines, reason),
      );
    },

    /** Security 14: once every lane has stopped, the lines still pending fail with the reason; how many. */
    async stopBulkUpload(uploadId: string): Promise<number> {
      const upload = await uploads.get(uploadId);
      if (!upload) throw ApplicationFailure.nonRetryable(`No upload ${uploadId}`);
      const now = currentUploader(deps.principals, upload);
      const reason =
        typeof now === 'string'
          ? now
          : `${upload.uploadedBy.name}, who uploaded the file, lost the right to create its accounts while it ran (R1): the upload stopped before this line`;
      return uploads.failPending(uploadId, reason);
    },

    async finishBulkUpload(uploadId: string, status: Exclude<BulkUploadStatus, 'Running'>): Promise<string> {
      const at = new Date().toISOString();
      await uploads.finish(uploadId, status, at);
      return (await uploads.get(uploadId))!.finishedAt ?? at;
    },
  };
}

export type BulkActivities = ReturnType<typeof createBulkActivities>;

/** The chunk's lines done before (an earlier attempt), by outcome. */
async function doneBefore(uploads: BulkUploads, upload: BulkUpload, lines: number[]) {
  const rows = await Promise.all(lines.map((line) => uploads.row(upload.id, line)));
  const done = { created: 0, failed: 0 };
  for (const row of rows) if (row?.state === 'created' || row?.state === 'failed') done[row.state]++;
  return { rows, done };
}

/**
 * Security 14: the uploader lost the right to create these accounts: every line still pending fails with
 * the reason, and the upload stops. The chunk's lines done before (an earlier attempt) are reported too.
 */
async function stopUpload(
  uploads: BulkUploads,
  upload: BulkUpload,
  lines: number[],
  reason: string,
): Promise<ChunkOutcome> {
  const { done } = await doneBefore(uploads, upload, lines);
  const failed = await uploads.failPending(upload.id, reason);
  return { created: done.created, failed: done.failed + failed, stopped: true };
}

/** Security 14: the chunk's own pending lines fail with the reason; the upload stops. */
async function failLines(
  uploads: BulkUploads,
  upload: BulkUpload,
  lines: number[],
  reason: string,
): Promise<ChunkOutcome> {
  const { rows, done } = await doneBefore(uploads, upload, lines);
  for (const row of rows) {
    if (row?.state !== 'pending') continue;
    await uploads.recordResult(upload.id, row.line, { state: 'failed', result: reason });
    done.failed++;
  }
  return { ...done, stopped: true };
}
