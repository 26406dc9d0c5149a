import assert from 'node:assert/strict';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { DAY, lifecycleHarness, report } from '../test/helpers/lifecycle-harness';
import { happyPath } from '../test/replay/representative-lifecycles';

type History = temporal.api.history.v1.IHistory;
const T = temporal.api.enums.v1.EventType;

/**
 * `npm run bench:cost`: billable Temporal actions per account, as Temporal Cloud counts them from a history:
 * workflow starts (continue-as-new included), signals, updates, activity attempts, timers, search attribute
 * upserts and markers. Queries are the callers' (an administrator looking at an account), not the
 * lifecycle's, and are not counted. Figures for onboarding (create to canSendEmail), and for a year in use
 * after it: with a sign-in a day and with one every four weeks (the fewest that keep an account Active,
 * R30), the platform asked at each inactivity deadline; and, for comparison, a sign-in a day pushed to the
 * lifecycle as a SignedIn event. On the time-skipping server, at the rules' real durations.
 */
describe('Billable actions per account', () => {
  it('prints the figures; a year of daily sign-ins costs at most 10% over a year without', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const daily = await happyPath(h);
      const onboarding = count(await historiesOf(daily.handle), 0);
      const monthly = await happyPath(h);
      const pushed = await happyPath(h);
      const yearStart = await h.now();
      for (let day = 1; day <= 365; day++) {
        const now = new Date(await h.now());
        await h.platform.signIn(daily.id, now);
        if (day % 28 === 0) await h.platform.signIn(monthly.id, now);
        await report(pushed.handle, { type: 'SignedIn' });
        await h.sleep(DAY);
      }
      const year = async (handle: WorkflowHandle) => count(await historiesOf(handle), yearStart);
      const rows = [
        ['onboarding: create to canSendEmail', onboarding],
        ['a year in use, a sign-in a day (the platform asked)', await year(daily.handle)],
        ['a year in use, a sign-in every 4 weeks (the platform asked)', await year(monthly.handle)],
        ['for comparison: a year, a sign-in a day pushed as SignedIn', await year(pushed.handle)],
      ] as const;
      for (const [label, c] of rows)
        console.log(
          `${label}: ${c.total} actions ${JSON.stringify(c.byKind)}; ${c.history.events} history events, ` +
            `${c.history.bytes} bytes, ${c.history.workflowTasks} workflow tasks`,
        );
      const ratio = rows[1][1].total / rows[2][1].total;
      console.log(`daily sign-ins over a year without them: x${ratio.toFixed(3)}`);
      assert.ok(
        ratio <= 1.1,
        `a year of daily sign-ins costs x${ratio.toFixed(3)} a year without (R30: at most 1.10)`,
      );
      await assertActive([daily.handle, monthly.handle, pushed.handle]);
    });
  });
});

async function assertActive(handles: WorkflowHandle[]) {
  for (const handle of handles) {
    const { status } = await handle.query<{ status: string }>('getAccount');
    assert.equal(status, 'Active', `${handle.workflowId} stayed in use all year`);
  }
}

/** The histories of a workflow's runs, first to last, following each continue-as-new. */
async function historiesOf(handle: WorkflowHandle): Promise<History[]> {
  const histories: History[] = [];
  let runId = (await handle.describe()).raw.workflowExecutionInfo?.firstRunId ?? undefined;
  while (runId) {
    const history = await handle.client.getHandle(handle.workflowId, runId).fetchHistory();
    histories.push(history);
    const last = history.events![history.events!.length - 1];
    runId = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return histories;
}

/** The billable actions of the histories' events at or after `since` (epoch ms), by kind. */
function count(histories: History[], since: number) {
  const byKind: Record<string, number> = {};
  const add = (kind: string, n = 1) => (byKind[kind] = (byKind[kind] ?? 0) + n);
  // For the capacity plan (docs/capacity.md): events, their encoded bytes, and workflow tasks.
  const history = { events: 0, bytes: 0, workflowTasks: 0 };
  for (const event of histories.flatMap((h) => h.events ?? [])) {
    const at = Number(event.eventTime?.seconds ?? 0) * 1000 + Math.floor((event.eventTime?.nanos ?? 0) / 1e6);
    if (at < since) continue;
    history.events++;
    history.bytes += temporal.api.history.v1.HistoryEvent.encode(event).finish().length;
    if (event.eventType === T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) history.workflowTasks++;
    switch (event.eventType) {
      case T.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
        add('start');
        break;
      case T.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
        add('signal');
        break;
      case T.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
        add('update');
        break;
      case T.EVENT_TYPE_ACTIVITY_TASK_STARTED:
        add('activity', event.activityTaskStartedEventAttributes?.attempt ?? 1);
        break;
      case T.EVENT_TYPE_TIMER_STARTED:
        add('timer');
        break;
      case T.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
        add('upsert');
        break;
      case T.EVENT_TYPE_MARKER_RECORDED:
        add('marker');
        break;
    }
  }
  return { total: Object.values(byKind).reduce((a, b) => a + b, 0), byKind, history };
}
