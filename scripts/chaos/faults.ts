import type { ApiClient } from './api-client';
import type { Supervised } from '../../src/servers/supervised-process';
import { sleep, type Random } from './random';
import { waitForTemporal, type Stack } from './stack';

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

/** Something that can be crashed and started again: a supervised process, or a PostgreSQL server. */
interface Restartable {
  crash(): Promise<void>;
  start(): void | Promise<void>;
}

/**
 * The cluster's faults, each once, placed among the journeys by how many have finished (with the callers'
 * journeys under way at each): SIGKILL a history process (at 10%) and a matching process (25%), crash the
 * engine's PostgreSQL (40%) and Temporal's (55%), each started again after a random 2-6 s; and, from 15%,
 * one worker partitioned (SIGSTOP: its connections open, nothing answered) for `partitionSeconds`, then
 * resumed. Returns what was done.
 */
export async function clusterFaults(
  stack: Stack,
  partitionSeconds: number,
  progress: Progress,
  random: Random,
  log: (message: string) => void,
): Promise<string[]> {
  const { services, postgres } = stack.cluster!;
  const done: string[] = [];
  const crashes: [number, string, Restartable][] = [
    [
      0.1,
      'Temporal history process SIGKILLed',
      { crash: () => services.history.kill(), start: () => services.history.start() },
    ],
    [
      0.25,
      'Temporal matching process SIGKILLed',
      { crash: () => services.matching.kill(), start: () => services.matching.start() },
    ],
    [0.4, "the engine's PostgreSQL crashed", stack.enginePostgres!],
    [0.55, "Temporal's PostgreSQL crashed", postgres!],
  ];
  const crashing = (async () => {
    for (const [share, what, target] of crashes) {
      await until(() => progress.finished >= Math.floor(progress.total * share));
      const at = `${progress.finished}/${progress.total} journeys done`;
      await target.crash();
      const pause = random.between(2000, 6000);
      log(`${what} at ${at}; restart in ${(pause / 1000).toFixed(1)} s`);
      await sleep(pause);
      await target.start();
      log(`${what.replace(/ (SIGKILLed|crashed)$/, '')} restarted`);
      done.push(`${what.padEnd(48)}at ${at}, down ${(pause / 1000).toFixed(1)} s`);
    }
  })();
  const partition = (async () => {
    const worker = stack.workers[stack.workers.length - 1]!;
    await until(() => progress.finished >= Math.floor(progress.total * 0.15));
    await worker.whenRunning();
    const at = `${progress.finished}/${progress.total} journeys done`;
    worker.pause();
    log(`${worker.name} partitioned (SIGSTOP) for ${partitionSeconds} s at ${at}`);
    await sleep(partitionSeconds * 1000);
    worker.resume();
    log(`${worker.name} resumed (SIGCONT)`);
    done.push(`${`${worker.name} partitioned (SIGSTOP)`.padEnd(48)}at ${at}, for ${partitionSeconds} s`);
  })();
  await Promise.all([crashing, partition]);
  return done;
}
