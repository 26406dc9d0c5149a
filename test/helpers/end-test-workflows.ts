import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

const { EventType } = temporal.api.enums.v1;
/** Events after which a task is under way: a workflow task, or an activity, scheduled or started. */
const TASK_UNDER_WAY = new Set([
  EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
  EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
  EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED,
]);

/**
 * A running workflow's state as far as the time-skipping test server is concerned: whether it has work under
 * way (an activity scheduled, running or waiting to retry, or a workflow task), and how long its history is.
 * The server holds time still while such work is under way and lets it skip when the work ends, but not if
 * the workflow is terminated first: the work then holds time still for every later test on the shared
 * server, until its timeout passes in real time.
 */
interface State {
  /** Described as closed: it will not run again, and is not looked at again. */
  closed: boolean;
  running: boolean;
  busy: boolean;
  length: number;
  last?: temporal.api.enums.v1.EventType | null;
  pending: temporal.api.workflow.v1.IPendingActivityInfo[];
}

const CLOSED: State = { closed: true, running: false, busy: false, length: 0, pending: [] };

async function stateOf(handle: WorkflowHandle): Promise<State> {
  const description = await handle.describe().catch(() => undefined);
  if (!description) return { ...CLOSED, closed: false };
  if (description.status.name !== 'RUNNING') return CLOSED;
  const events = (await handle.fetchHistory().catch(() => undefined))?.events ?? [];
  const last = events[events.length - 1]?.eventType;
  const pending = description.raw.pendingActivities ?? [];
  const busy = pending.length > 0 || (last !== undefined && last !== null && TASK_UNDER_WAY.has(last));
  return { closed: false, running: true, busy, length: events.length, last, pending };
}

/** What a busy workflow was doing, for the line printed when it is terminated. */
function doing(handle: WorkflowHandle, state: State): string {
  const activities = state.pending.map(
    (a) =>
      `; activity ${a.activityType?.name} attempt ${a.attempt}` +
      (a.lastFailure?.message ? ` (last failure: ${a.lastFailure.message})` : ''),
  );
  return `${handle.workflowId}: ${state.length} events, the last ${EventType[state.last ?? 0]}${activities.join('')}`;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Ends the workflows a test started, so that the shared time-skipping server skips time for the next test:
 * waits, while the test's worker still polls, until every one is still (no work under way, its history
 * unchanged over two looks 100 ms apart); one still busy after a few seconds (an activity retrying for ever)
 * is asked to cancel, which ends its activities; then every one still running is terminated (after
 * 30 s at most, printing what those still busy were doing). `started` is
 * read afresh each look, as a running activity may still start workflows (a bulk upload's lines). Call it
 * before the worker stops.
 */
export async function endTestWorkflows(started: readonly WorkflowHandle[]): Promise<void> {
  const began = Date.now();
  const cancelled = new Set<WorkflowHandle>();
  const closed = new Set<WorkflowHandle>();
  let before = new Map<WorkflowHandle, number>();
  for (;;) {
    const handles = [...started];
    const states = await Promise.all(handles.map((h) => (closed.has(h) ? CLOSED : stateOf(h))));
    handles.forEach((h, i) => states[i]!.closed && closed.add(h));
    const still = states.every((s, i) => !s.busy && (!s.running || before.get(handles[i]!) === s.length));
    if (still || Date.now() - began > 30_000) {
      if (!still) {
        const what = handles.flatMap((h, i) =>
          states[i]!.busy || before.get(h) !== states[i]!.length ? [doing(h, states[i]!)] : [],
        );
        console.log(`      still busy after 30 s, terminated: ${what.join(' | ')}`);
      }
      await Promise.all(handles.map((h) => h.terminate('test finished').catch(() => undefined)));
      if (started.length === handles.length) return;
      continue;
    }
    before = new Map(handles.map((h, i) => [h, states[i]!.length]));
    if (Date.now() - began > 5_000) {
      const busy = handles.filter((h, i) => states[i]!.busy && !cancelled.has(h));
      busy.forEach((h) => cancelled.add(h));
      await Promise.all(busy.map((h) => h.cancel().catch(() => undefined)));
    }
    await pause(100);
  }
}
