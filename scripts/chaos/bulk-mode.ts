import type { ChaosOptions } from './options';
import { printBulkReport, runBulkCrash, type BulkCrashPlan } from './bulk-run';
import type { Stack } from './stack';

/**
 * `npm run chaos -- --bulk LINES`: one upload of LINES people while the worker is SIGKILLed `--kills` times
 * (2) and the API half as many (1); exits non-zero unless every line has its one account, its platform
 * account, and its password handed over once (R31).
 */
export async function runBulk(options: ChaosOptions, stack: Stack, log: (message: string) => void) {
  const plan: BulkCrashPlan = {
    lines: options.bulkLines,
    workerKills: options.kills,
    apiKills: Math.ceil(options.kills / 2),
    seed: options.seed,
    deadlineSeconds: options.deadlineSeconds,
  };
  const { apiUrls, databaseFile, temporalAddress, env, dataDir, workers, apis } = stack;
  if (!databaseFile) throw new Error('--bulk runs on the dev server, not --cluster');
  const target = { apiUrl: apiUrls[0]!, databaseFile, temporalAddress, env, dataDir };
  const report = await runBulkCrash(target, { worker: workers[0]!, api: apis[0]! }, plan, log);
  return printBulkReport(report, plan) ? 0 : 1;
}
