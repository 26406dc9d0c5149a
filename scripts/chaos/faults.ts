import type { ApiClient } from './api-client';
import type { Supervised } from '../../src/servers/supervised-process';
import { sleep, type Random } from './random';
import { waitForTemporal } from './stack';

/** How far the journeys are: the faults are placed by it, so that they fall among the journeys. */
export interface Progress {
  total: number;
  started: number;
  finished: number;
}

async function until(condition: () => boolean, everyMs = 100): Promise<void> {
  while (!condition()) await sleep(everyMs);
}

/**
 * SIGKILLs `target` `times` times, each once a random number of journeys has started and after a further
 * random 0-3 s, then starts it again after a random pause of 0.5-5 s, as a supervisor would.
 */
export async function killRepeatedly(
  target: Supervised,
  times: number,
  progress: Progress,
  random: Random,
  log: (message: string) => void,
): Promise<void> {
  const moments = Array.from({ length: times }, () => random.between(1, progress.total)).sort(
    (a, b) => a - b,
  );
  for (const [n, moment] of moments.entries()) {
    await until(() => progress.started >= moment);
    await sleep(random.between(0, 3000));
    await target.whenRunning();
    await target.kill();
    const pause = random.between(500, 5000);
    log(
      `SIGKILL ${target.name} (${n + 1} of ${times}) at ${progress.finished}/${progress.total} journeys done; ` +
        `restart in ${(pause / 1000).toFixed(1)} s`,
    );
    await sleep(pause);
    target.start();
  }
}

export interface OutageReport {
  seconds: number;
  createsInFlight: number;
  createsSentDuring: number;
}

/**
 * Stops the Temporal dev server (SIGKILL) once half the journeys have started, at a moment with creates in
 * flight, keeps it down `seconds` (calling `whileDown` at once, to send more creates meanwhile), then starts
 * it again on the same port and database file.
 */
export async function temporalOutage(
  temporal: Supervised,
  address: string,
  seconds: number,
  progress: Progress,
  api: ApiClient,
  log: (message: string) => void,
  whileDown: () => void,
): Promise<OutageReport> {
  await until(() => progress.started >= Math.ceil(progress.total / 2));
  const latest = Date.now() + 30_000;
  await until(() => api.inFlight.create > 0 || Date.now() > latest, 5);
  const createsInFlight = api.inFlight.create;
  const sentBefore = api.sent.create;
  await temporal.kill();
  log(`Temporal dev server stopped for ${seconds} s, ${createsInFlight} creates in flight`);
  whileDown();
  await sleep(seconds * 1000);
  const createsSentDuring = api.sent.create - sentBefore;
  temporal.start();
  await waitForTemporal(address, 60_000);
  log(`Temporal dev server back on ${address}; ${createsSentDuring} create requests were sent meanwhile`);
  return { seconds, createsInFlight, createsSentDuring };
}
