import { condition } from '@temporalio/workflow';
import { shielded } from './shielded';

/**
 * Waits until `wakeUp()` holds or, when there is a deadline, until it falls due. Answers the deadline's
 * time when its timer fired, undefined when a change woke the wait.
 *
 * What falls due is then judged at that time, never by the workflow clock: a worker that answered a query
 * by replaying to a timer's firing whose workflow task had not started yet holds, in its cache, a run that
 * took the firing with the clock of the task before (Temporal TypeScript SDK 1.24). A decision on the clock
 * there goes another way than a replay's, and the run fails on a nondeterminism error from its next replay
 * on (test/smoke/crash-then-queries.test.ts).
 */
export async function untilDeadline(
  deadline: { at: number; summary: string } | undefined,
  wakeUp: () => boolean,
): Promise<number | undefined> {
  return shielded(async () => {
    if (deadline === undefined) {
      await condition(wakeUp);
      return undefined;
    }
    const { at, summary } = deadline;
    const woken = await condition(wakeUp, Math.max(at - Date.now(), 1), { summary });
    return woken ? undefined : at;
  });
}
