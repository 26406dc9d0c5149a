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
  const report = await runBulkCrash(stack, stack, plan, log);
  return printBulkReport(report, plan) ? 0 : 1;
}
