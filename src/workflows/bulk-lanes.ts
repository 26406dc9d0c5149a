import {
  CancellationScope,
  condition,
  isCancellation,
  setCurrentDetails,
  workflowInfo,
} from '@temporalio/workflow';
import type { ChunkOutcome } from '../activities/bulk';
import { act, count, goesOn, type UploadRun } from './bulk-run';

/** Lines read from the store at a time; the next batch is read while the lanes still have lines to take. */
const BATCH = 1_000;
/**
 * Lines a lane takes at a time, one activity: few enough that the lanes end together (the last lines are
 * shared out in smaller chunks), many enough that the upload's own history and tasks cost little per line.
 */
const CHUNK = 25;
/**
 * How long a line another attempt holds waits before it is tried again: a worker that died holds its lines'
 * idempotency keys a minute (IDEMPOTENCY_ABANDONED_MS), while the other lines go on.
 */
const LATER_MS = 15_000;

/**
 * R31: the upload's lines in lanes, as many as the worker's BULK_LINES_AT_ONCE: each lane creates its chunk's
 * lines one after the other and takes the next chunk as soon as it is done, so that this many lines are under
 * way at all times, none waiting for a slower one; a line held by an attempt that died is tried again later,
 * while the others go on. A cancel stops every lane's chunk (their lines under way finish). Returns with every
 * line handed out done or in `run.later`, so a continue-as-new goes on from there.
 */
export async function createInLanes(run: UploadRun): Promise<void> {
  const { uploadId } = run.input;
  const scopes = new Set<CancellationScope>();
  run.cancelChunks = () => scopes.forEach((scope) => scope.cancel());
  const queue: number[] = [];
  const later = run.later.map((line) => ({ line, due: Date.now() + LATER_MS }));
  let readUpTo = run.after;
  let exhausted = false;
  let lanes = 0;
  let reading: Promise<void> | null = null;

  const read = () =>
    (reading ??= (async () => {
      const next = await act.nextBulkLines(uploadId, readUpTo, BATCH);
      lanes ||= next.linesAtOnce;
      queue.push(...next.lines);
      readUpTo = next.lines[next.lines.length - 1] ?? readUpTo;
      exhausted = next.lines.length < BATCH;
    })().finally(() => (reading = null)));

  async function createChunk(chunk: number[]): Promise<ChunkOutcome> {
    const scope = new CancellationScope();
    scopes.add(scope);
    try {
      return await scope.run(() => act.createBulkLane(uploadId, chunk));
    } catch (err) {
      if (run.cancelled && isCancellation(err)) return { created: 0, failed: 0 };
      throw err;
    } finally {
      scopes.delete(scope);
    }
  }

  /** The lane's next chunk: lines due again first, then the file's next; empty when there is none yet. */
  function take(): number[] {
    const due = later.filter((l) => l.due <= Date.now()).slice(0, CHUNK);
    if (due.length) {
      later.splice(0, later.length, ...later.filter((l) => !due.includes(l)));
      return due.map((l) => l.line);
    }
    const size = exhausted ? Math.min(CHUNK, Math.max(1, Math.floor(queue.length / lanes))) : CHUNK;
    const chunk = queue.splice(0, size);
    if (chunk.length) run.after = chunk[chunk.length - 1]!;
    return chunk;
  }

  async function lane(): Promise<void> {
    while (goesOn(run, workflowInfo().historyLength)) {
      // A read under way fails only by a cancel; a lane that needs its lines awaits it and sees that.
      if (!exhausted && queue.length < lanes * CHUNK) read().catch(() => undefined);
      const chunk = take();
      if (chunk.length === 0) {
        if (!exhausted) await read();
        else if (later.length === 0) return;
        else {
          const wait = Math.min(...later.map((l) => l.due)) - Date.now();
          await condition(() => run.cancelled || run.stopped, Math.max(wait, 1));
        }
        continue;
      }
      const done = await createChunk(chunk);
      count(run, done);
      for (const line of done.later ?? []) later.push({ line, due: Date.now() + LATER_MS });
      setCurrentDetails(
        `Upload ${uploadId}: ${run.created} created, ${run.failed + run.input.invalid} failed, ` +
          `${lanes} lines at once, up to line ${run.after}` +
          (later.length ? `; ${later.length} held by an earlier attempt, tried again shortly` : ''),
      );
    }
  }

  if (goesOn(run, workflowInfo().historyLength)) {
    await read();
    await Promise.all(Array.from({ length: lanes }, lane));
    await reading;
  }
  run.later = later.map((l) => l.line);
}
