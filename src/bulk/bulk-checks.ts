import os from 'node:os';
import path from 'node:path';
import { Piscina } from 'piscina';
import { OperationError } from '../operations/errors';
import type { CheckedFile, CheckTask } from './bulk-check-worker';

/** Threads that check files: one core left to the event loop (and the worker's activities), two at most. */
const THREADS = Math.min(2, Math.max(1, os.availableParallelism() - 1));

/** How long a principal over their limit is asked to wait: about what a 10,000-line file takes to check. */
const RETRY_AFTER_SECONDS = 5;

let pool: Piscina | undefined;

/** The pool, started at the first check; run from TypeScript source (the tests), its threads load tsx. */
function checkers(): Piscina {
  const ext = path.extname(__filename);
  pool ??= new Piscina({
    filename: path.join(__dirname, `bulk-check-worker${ext}`),
    minThreads: 0,
    maxThreads: THREADS,
    idleTimeout: 30_000,
    ...(ext === '.ts' ? { execArgv: [...process.execArgv, '--require', 'tsx/cjs'] } : {}),
  });
  return pool;
}

/** Bulk requests under way, by principal. */
const underWay = new Map<string, number>();

/**
 * Security 10: reads and checks a bulk file (R31) in a worker thread, so that the event loop answers other
 * requests meanwhile. A principal may have `atOnce` under way; one more is refused, 429 with Retry-After.
 */
export async function checkInWorker(
  principalId: string,
  atOnce: number,
  task: Omit<CheckTask, 'file'> & { file: Buffer },
): Promise<CheckedFile> {
  const mine = underWay.get(principalId) ?? 0;
  if (mine >= atOnce) {
    throw new OperationError(
      'busy',
      'Too many requests',
      `You have ${mine} bulk uploads being read and checked already: wait for them to finish, then send this one again (at most ${atOnce} at once).`,
      { retryAfterSeconds: RETRY_AFTER_SECONDS },
    );
  }
  underWay.set(principalId, mine + 1);
  try {
    // A copy of the bytes goes to the thread, so the request's buffer is never shared across threads.
    return (await checkers().run({ ...task, file: new Uint8Array(task.file) })) as CheckedFile;
  } finally {
    const left = (underWay.get(principalId) ?? 1) - 1;
    if (left > 0) underWay.set(principalId, left);
    else underWay.delete(principalId);
  }
}

/** Stops the threads (the engine's stop); a later check starts them again. */
export async function closeBulkChecks(): Promise<void> {
  const stopping = pool;
  pool = undefined;
  await stopping?.close();
}
