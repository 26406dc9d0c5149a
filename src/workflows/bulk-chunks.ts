import {
  CancellationScope,
  isCancellation,
  patched,
  setCurrentDetails,
  workflowInfo,
} from '@temporalio/workflow';
import type { ChunkOutcome } from '../activities/bulk';
import { act, count, goesOn, type UploadRun } from './bulk-run';

/** Security 7: a cancel stops the chunk under way (one retrying a line, say), not only the next one. */
const CANCEL_MID_CHUNK = 'bulk-cancel-mid-chunk';

/**
 * Lines read from the store at a time, and created per activity, all at once within it: a cancel lets at
 * most one chunk's lines finish.
 */
const BATCH = 240;
const CHUNK = 8;

/**
 * How uploads started before `bulk-lanes` create their lines, kept so that their histories replay: a chunk
 * of 8 lines per activity, all at once, one chunk at a time, each waiting for its slowest line.
 */
export async function createInChunks(run: UploadRun): Promise<void> {
  const { uploadId } = run.input;
  let chunkScope: CancellationScope | null = null;
  run.cancelChunks = () => {
    if (chunkScope && patched(CANCEL_MID_CHUNK)) chunkScope.cancel();
  };

  async function createChunk(chunk: number[]): Promise<ChunkOutcome> {
    const scope = new CancellationScope();
    chunkScope = scope;
    try {
      return await scope.run(() => act.createBulkLines(uploadId, chunk));
    } catch (err) {
      if (run.cancelled && isCancellation(err)) return { created: 0, failed: 0 };
      throw err;
    } finally {
      chunkScope = null;
    }
  }

  while (goesOn(run, workflowInfo().historyLength)) {
    const lines = await act.pendingBulkLines(uploadId, run.after, BATCH);
    if (lines.length === 0) return;
    for (let i = 0; i < lines.length && !run.cancelled && !run.stopped; i += CHUNK) {
      const chunk = lines.slice(i, i + CHUNK);
      count(run, await createChunk(chunk));
      run.after = chunk[chunk.length - 1]!;
    }
    setCurrentDetails(
      `Upload ${uploadId}: ${run.created} created, ${run.failed + run.input.invalid} failed, line ${run.after}`,
    );
  }
}
