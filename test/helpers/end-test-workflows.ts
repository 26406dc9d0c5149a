import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

const { EventType } = temporal.api.enums.v1;
const TASK_UNDER_WAY = new Set([
  EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
]);

/**
 * Whether a workflow has work under way that the time-skipping test server holds time still for: an
 * activity (scheduled, running, or waiting to retry) or a workflow task. The server lets time skip again
 * when that work ends, but not if the workflow is terminated first: the work then holds time still for
 * every later test on the shared server, until its timeout passes in real time.
 */
async function underWay(handle: WorkflowHandle): Promise<boolean> {
  const description = await handle.describe().catch(() => undefined);
  if (description?.status.name !== 'RUNNING') return false;
  if ((description.raw.pendingActivities?.length ?? 0) > 0) return true;
  const events = (await handle.fetchHistory().catch(() => undefined))?.events ?? [];
  const last = events[events.length - 1]?.eventType;
  return last !== undefined && last !== null && TASK_UNDER_WAY.has(last);
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Ends the workflows a test started, so that the shared time-skipping server skips time for the next test:
 * waits, while the test's worker still polls, until none has work under way; a workflow still busy after
 * a few seconds (an activity retrying for ever) is asked to cancel, which ends its activities; then every
 * one still running is terminated. `started` is read afresh each round, as a running activity may still
 * start workflows (a bulk upload's lines). Call it before the worker stops.
 */
export async function endTestWorkflows(started: readonly WorkflowHandle[]): Promise<void> {
  const began = Date.now();
  const cancelled = new Set<WorkflowHandle>();
  for (;;) {
    const handles = [...started];
    const flags = await Promise.all(handles.map(underWay));
    const busy = handles.filter((_, i) => flags[i]);
    if (busy.length === 0 || Date.now() - began > 30_000) {
      await Promise.all(handles.map((h) => h.terminate('test finished').catch(() => undefined)));
      if (started.length === handles.length) return;
      continue;
    }
    if (Date.now() - began > 5_000) {
      const fresh = busy.filter((h) => !cancelled.has(h));
      fresh.forEach((h) => cancelled.add(h));
      await Promise.all(fresh.map((h) => h.cancel().catch(() => undefined)));
    }
    await pause(50);
  }
}
