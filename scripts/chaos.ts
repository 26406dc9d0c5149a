import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiClient } from './chaos/api-client';
import { inspect, settle } from './chaos/audit';
import {
  clusterFaults,
  killRepeatedly,
  temporalOutage,
  type OutageReport,
  type Progress,
} from './chaos/faults';
import { Journeys, newCallerNotes, people, type JourneyResult, type Person } from './chaos/journey';
import { parseOptions, type ChaosOptions } from './chaos/options';
import { killAllNow } from '../src/servers/supervised-process';
import { Random } from './chaos/random';
import { printReport, seconds } from './chaos/report';
import { startStack, waitForApi, type Stack } from './chaos/stack';
import { runBulk } from './chaos/bulk-mode';

/**
 * `npm run chaos`: the fault-injection run. A Temporal dev server, one API process and one worker process;
 * N people created and onboarded by concurrent callers that retry as real clients do, while the worker and
 * the API are SIGKILLed at random moments (and, with --outage, Temporal is stopped for a while). Once all
 * is settled, it checks that every account completed and that nothing was lost or duplicated, prints the
 * figures, and exits non-zero if not. See scripts/chaos/options.ts for the options.
 */
const startedAt = Date.now();
const log = (message: string) => console.log(`[${seconds(Date.now() - startedAt).padStart(9)}] ${message}`);

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhsmail-chaos-'));
  const removeRunDir = () => {
    if (!options.keep) fs.rmSync(runDir, { recursive: true, force: true });
  };
  endOnSignals(removeRunDir);
  if (options.bulkLines > 0) {
    console.log(
      `Fault injection, R31: a bulk upload of ${options.bulkLines} lines, ${options.kills} SIGKILLs of the worker ` +
        `and ${Math.ceil(options.kills / 2)} of the API, seed ${options.seed}`,
    );
  } else
    console.log(
      `Fault injection: ${options.accounts} accounts, ${options.concurrency} callers, ${options.kills} SIGKILLs ` +
        `each of the worker and the API, ${options.outageSeconds ? `a ${options.outageSeconds} s Temporal outage` : 'no Temporal outage'}, ` +
        `seed ${options.seed}`,
    );
  console.log(`run folder ${runDir}${options.keep ? ' (kept)' : ' (removed at the end; --keep keeps it)'}`);
  let stack: Stack | undefined;
  try {
    stack = await startStack(runDir, log, { cluster: options.cluster });
    log(
      `Temporal ${options.cluster ? 'cluster' : 'dev server'} on ${stack.temporalAddress}, ` +
        `API on ${stack.apiUrls.join(' and ')}, ${stack.workers.length} worker(s) started`,
    );
    return options.bulkLines > 0 ? await runBulk(options, stack, log) : await run(options, stack);
  } finally {
    await stack?.stop();
    killAllNow();
    removeRunDir();
  }
}

async function run(options: ChaosOptions, stack: Stack): Promise<number> {
  const random = new Random(options.seed);
  const api = new ApiClient(stack.apiUrls);
  const persons = people(options.accounts);
  const progress: Progress = { total: persons.length, started: 0, finished: 0 };
  const journeys = new Journeys(
    api,
    crypto.randomBytes(4).toString('hex'),
    Date.now() + options.deadlineSeconds * 1000,
    newCallerNotes(),
  );
  const timings = { startedAt, journeysDoneAt: 0, settledAt: 0, checkedAt: 0 };

  const callers = new Callers(persons, journeys, progress);
  const faults = Promise.all([
    killRepeatedly(stack.workers[0]!, options.kills, progress, random, log),
    killRepeatedly(stack.apis[0]!, options.kills, progress, random, log),
    options.outageSeconds > 0
      ? temporalOutage(
          stack.temporal!,
          stack.temporalAddress,
          options.outageSeconds,
          progress,
          api,
          log,
          () => callers.start(options.concurrency, 1),
        )
      : undefined,
    options.cluster ? clusterFaults(stack, options.partitionSeconds, progress, random, log) : undefined,
  ]);
  faults.catch(() => undefined); // a failure is reported where it is awaited, once the journeys are over
  const ticker = setInterval(
    () => log(`${progress.finished}/${progress.total} journeys done, ${progress.started} started`),
    30_000,
  );
  let results: JourneyResult[];
  let outage: OutageReport | undefined;
  let clusterFaultsDone: string[] | undefined;
  try {
    callers.start(options.concurrency);
    results = await callers.done();
    timings.journeysDoneAt = Date.now();
    log(`journeys over: ${results.filter((r) => r.completed).length} of ${results.length} completed`);
    [, , outage, clusterFaultsDone] = await faults;
  } finally {
    clearInterval(ticker);
  }

  await Promise.all([...stack.apis, ...stack.workers].map((child) => child.whenRunning()));
  await Promise.all(stack.apiUrls.map((url) => waitForApi(url, 60_000)));
  log('settling: waiting until no reservation awaits its lifecycle');
  const left = await settle(stack, 180_000);
  timings.settledAt = Date.now();
  log(`settled (${left} reservations still waiting); checking`);
  const findings = await inspect(
    stack,
    api,
    persons,
    results.flatMap((r) => (r.id ? [r.id] : [])),
  );
  timings.checkedAt = Date.now();
  const passed = printReport(
    findings,
    results,
    journeys.notes,
    api,
    stack,
    outage,
    timings,
    clusterFaultsDone,
  );
  return passed ? 0 : 1;
}

/**
 * The callers: each takes the next person when done with one. More can join for a while (during the
 * outage, as administrators keep creating accounts while Temporal is down).
 */
class Callers {
  private next = 0;
  private readonly running: Promise<void>[] = [];
  readonly results: JourneyResult[] = [];

  constructor(
    private readonly persons: Person[],
    private readonly journeys: Journeys,
    private readonly progress: Progress,
  ) {}

  /** `count` more callers, each for at most `journeysEach` people. */
  start(count: number, journeysEach = Infinity): void {
    for (let i = 0; i < count; i++) this.running.push(this.call(journeysEach));
  }

  async done(): Promise<JourneyResult[]> {
    for (let seen = 0; seen < this.running.length;) {
      seen = this.running.length;
      await Promise.all(this.running);
    }
    return this.results;
  }

  private async call(journeysEach: number): Promise<void> {
    for (let n = 0; n < journeysEach && this.next < this.persons.length; n++) {
      const person = this.persons[this.next++]!;
      this.progress.started++;
      this.results.push(await this.journeys.run(person));
      this.progress.finished++;
    }
  }
}

/** Ctrl-C, SIGTERM (as from `timeout`) or SIGHUP: nothing is left running, the folder is removed. */
function endOnSignals(removeRunDir: () => void): void {
  process.on('exit', killAllNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping every child process`);
      killAllNow();
      removeRunDir();
      process.exit(130);
    });
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    killAllNow();
    process.exit(2);
  },
);
