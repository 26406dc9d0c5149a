/** The command line of `npm run chaos`. */
export interface ChaosOptions {
  /** People to create and onboard. */
  accounts: number;
  /** Callers working at once, each through one person's journey at a time. */
  concurrency: number;
  /** SIGKILLs of the worker, and as many of the API. */
  kills: number;
  /** Seconds the Temporal dev server is down in the middle of the run; 0 for no outage. */
  outageSeconds: number;
  /** Seconds the journeys may take before the run gives up on the unfinished ones. */
  deadlineSeconds: number;
  /** Keep the run's folder (logs, databases) instead of removing it. */
  keep: boolean;
  /** Seed of the random choices (names aside): the same seed makes the same kill plan. */
  seed: number;
  /** R31: instead of journeys, one bulk upload of this many lines (0: none); `kills` is then the worker's. */
  bulkLines: number;
  /**
   * On a Temporal cluster (its services as processes, on PostgreSQL) with two workers and two APIs on a
   * PostgreSQL of their own, adding the cluster's faults: a history and a matching process SIGKILLed, both
   * PostgreSQL servers crashed and restarted, one worker partitioned for `partitionSeconds`.
   */
  cluster: boolean;
  partitionSeconds: number;
}

export const USAGE = `npm run chaos -- [--accounts N] [--concurrency C] [--kills K] [--outage SECONDS]
                     [--deadline SECONDS] [--seed S] [--keep] [--cluster [--partition SECONDS]] [--bulk LINES]

  --accounts N        people to create and onboard (default 200)
  --concurrency C     callers at once (default 8)
  --kills K           SIGKILLs of the worker, and K more of the API (default 5)
  --outage SECONDS    stop the Temporal dev server this long in the middle of the run (default: none)
  --deadline SECONDS  time allowed for the journeys (default 900, plus the outage)
  --seed S            seed of the kill plan (default: random, printed)
  --keep              keep the run's folder (child logs, databases)
  --bulk LINES        instead of journeys, one bulk upload of LINES people (R31): the worker is SIGKILLed
                      --kills times (default 2 here) and the API half as many, rounded up
  --cluster           on a Temporal cluster (npm run cluster's), two workers and two APIs on PostgreSQL;
                      adds: SIGKILL of a history and a matching process, a crash of the engine's
                      PostgreSQL and of Temporal's, a worker partitioned (SIGSTOP) for a while
  --partition SECONDS how long the worker is partitioned (default 60)`;

export function parseOptions(argv: string[]): ChaosOptions {
  const options: ChaosOptions = {
    accounts: 200,
    concurrency: 8,
    kills: 5,
    outageSeconds: 0,
    deadlineSeconds: 900,
    keep: false,
    seed: Math.floor(Math.random() * 2 ** 31),
    bulkLines: 0,
    cluster: false,
    partitionSeconds: 60,
  };
  let deadlineGiven = false;
  let killsGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const number = (min: number) => {
      const value = Number(argv[++i]);
      if (!Number.isInteger(value) || value < min) throw new Error(`${arg} needs a whole number >= ${min}`);
      return value;
    };
    switch (arg) {
      case '--accounts':
        options.accounts = number(1);
        break;
      case '--concurrency':
        options.concurrency = number(1);
        break;
      case '--kills':
        options.kills = number(0);
        killsGiven = true;
        break;
      case '--bulk':
        options.bulkLines = number(1);
        break;
      case '--outage':
        options.outageSeconds = number(0);
        break;
      case '--deadline':
        options.deadlineSeconds = number(10);
        deadlineGiven = true;
        break;
      case '--seed':
        options.seed = number(0);
        break;
      case '--keep':
        options.keep = true;
        break;
      case '--cluster':
        options.cluster = true;
        break;
      case '--partition':
        options.partitionSeconds = number(1);
        break;
      case '--help':
      case '-h':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`Unknown option ${arg}\n${USAGE}`);
    }
  }
  if (options.cluster && options.outageSeconds > 0)
    throw new Error(
      "--outage stops the dev server; with --cluster, Temporal's PostgreSQL is crashed instead",
    );
  if (options.accounts > 100_000) throw new Error('--accounts: at most 100000 (the mobile number range)');
  if (!deadlineGiven)
    options.deadlineSeconds += options.outageSeconds + (options.cluster ? options.partitionSeconds : 0);
  if (options.bulkLines > 10_000) throw new Error('--bulk: at most 10000 lines (R31)');
  if (options.bulkLines > 0 && options.cluster)
    throw new Error('--bulk runs on the dev server, not --cluster');
  if (options.bulkLines > 0 && !killsGiven) options.kills = 2;
  return options;
}
