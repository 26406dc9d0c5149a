import type { JourneyResult } from '../chaos/journey';
import type { Build } from './builds';
import type { HistoryChecks, Parked } from './history-checks';
import { PARKED_CASES } from './parked';

/** Prints what the drill found; 0 when it passed. */
export function report(
  oldBuild: Build,
  newBuild: Build,
  parked: Parked[],
  journeys: JourneyResult[],
  checks: HistoryChecks,
  replay: string[],
): number {
  const out = (line = '') => console.log(line);
  out();
  out(`== Upgrade drill: ${oldBuild.commit} -> ${newBuild.commit}`);
  out('parked on the old build, woken on the new:');
  const order = (p: Parked) => PARKED_CASES.findIndex((c) => c.name === p.case.name);
  for (const p of parked.sort((a, b) => order(a) - order(b)))
    out(
      `  ${p.case.name.padEnd(20)} ${p.parkedStatus.padEnd(19)} -> ${p.failure ? `FAILED: ${p.failure}` : `${p.woken}: ${p.case.wokenAs}`}`,
    );
  const completed = journeys.filter((j) => j.completed).length;
  out(`journeys during the upgrade (create to canSendEmail): ${completed} of ${journeys.length} completed`);
  for (const j of journeys.filter((x) => !x.completed).slice(0, 10))
    out(`  ${j.id ?? j.person.lastName}: ${j.failure}`);
  out(`workflow tasks failed: ${checks.failedTasks.length}`);
  for (const f of checks.failedTasks.slice(0, 10)) out(`  ${f}`);
  out(
    `builds that completed workflow tasks: before the upgrade ${[...checks.builds.before].map(short).join(', ')}; after ${[...checks.builds.after].map(short).join(', ')}`,
  );
  out(`parked accounts whose last task ran on the old build: ${checks.oldCodeAfterUpgrade.length}`);
  for (const id of checks.oldCodeAfterUpgrade) out(`  ${id}`);
  out(
    `patches recorded after the upgrade: ${[...checks.patchesAfter].map(([id, n]) => `${id} (${n} runs)`).join(', ') || 'none'}`,
  );
  out(`histories replayed on the new build's code: ${replay.length} failed`);
  for (const f of replay.slice(0, 10)) out(`  ${f}`);
  const passed =
    parked.every((p) => !p.failure) &&
    parked.length === PARKED_CASES.length &&
    completed === journeys.length &&
    checks.failedTasks.length === 0 &&
    checks.oldCodeAfterUpgrade.length === 0 &&
    replay.length === 0;
  out();
  out(
    passed
      ? 'PASS: every parked account woke on the new build, no workflow task failed, every history replays'
      : 'FAIL',
  );
  return passed ? 0 : 1;
}

const short = (buildId: string) => buildId.replace(/^@temporalio\/worker@[^+]*\+/, '').slice(0, 12);
