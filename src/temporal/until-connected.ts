import type { Logger } from '../logger';

/** The first retry after 1 s, doubling to a retry every 15 s. */
const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 15_000;
/** While it waits, it says so again this often. */
const REMIND_EVERY_MS = 60_000;

export class Aborted extends Error {}

/**
 * Calls `connect` until it succeeds, with back-off, and returns what it gives. A process started while
 * Temporal is unreachable waits instead of exiting (which would leave it to an outside restarter, with
 * the portal down meanwhile): it logs that it waits, and why, once at first and then every minute, and
 * that it connected. Rejects with `Aborted` when `signal` aborts (the process is stopping).
 */
export async function untilConnected<T>(
  connect: () => Promise<T>,
  what: { address: string; role: string },
  log: Logger,
  signal: AbortSignal,
): Promise<T> {
  let delay = FIRST_RETRY_MS;
  let waitingSince: number | undefined;
  let remindedAt = 0;
  for (;;) {
    if (signal.aborted) throw new Aborted('stopped while waiting for Temporal');
    try {
      const result = await connect();
      if (waitingSince !== undefined)
        log.info(
          { waitedSeconds: Math.round((Date.now() - waitingSince) / 1000) },
          `connected to Temporal at ${what.address}: the ${what.role} is starting`,
        );
      return result;
    } catch (err) {
      if (signal.aborted) throw new Aborted('stopped while waiting for Temporal');
      const now = Date.now();
      if (waitingSince === undefined || now - remindedAt >= REMIND_EVERY_MS) {
        log.warn(
          { err: (err as Error).message },
          `waiting for Temporal at ${what.address}: unreachable; the ${what.role} connects when it answers`,
        );
        waitingSince ??= now;
        remindedAt = now;
      }
    }
    await sleep(delay, signal);
    delay = Math.min(delay * 2, MAX_RETRY_MS);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
