import assert from 'node:assert/strict';
import { temporal } from '@temporalio/proto';
import { getAccountQuery, setNotesUpdate } from '../../src/workflows/definitions';
import { accountLifecycle } from '../../src/workflows';
import { accountWorkflowId } from '../../src/workflows/workflow-id';
import { snapshotOf } from '../../src/domain/organisation';
import { DEFAULT_POLICY } from '../../src/domain/policy';
import { referenceData } from '../../src/reference/reference-data';
import {
  ADMIN,
  DAY,
  HOUR,
  activeAccount,
  lifecycleHarness,
  report,
  ukTestMobile,
  until,
} from '../helpers/lifecycle-harness';
import { AesGcmPayloadCodec } from '../../src/crypto/payload-codec';
import { testKeyRing } from '../helpers/test-keys';

const { EventType } = temporal.api.enums.v1;
type History = temporal.api.history.v1.IHistory;
/** A payload of the history as Temporal Web shows it, decoded through the codec. */
async function decoded<T>(payload: temporal.api.common.v1.IPayload): Promise<T> {
  const [plain] = await new AesGcmPayloadCodec(testKeyRing).decode([payload]);
  return JSON.parse(Buffer.from(plain!.data!).toString()) as T;
}
const count = (history: History, type: number) => history.events!.filter((e) => e.eventType === type).length;
/** The events of a history that record patches: their markers, and their TemporalChangeVersion updates. */
const patchEvents = (history: History) =>
  history.events!.filter(
    (e) =>
      e.eventType === EventType.EVENT_TYPE_MARKER_RECORDED ||
      !!e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields
        ?.TemporalChangeVersion,
  ).length;

describe('Operators: Temporal Web, cancellation, and a history that stays bounded', () => {
  it('R32: a cancellation request is recorded in the audit trail and changes nothing else', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle } = await activeAccount(h);
      const before = await handle.query(getAccountQuery);
      await handle.cancel();
      await h.sleep(HOUR);
      const trail = await h.trail(handle);
      assert.ok(
        trail.some((e) => /cancellation was requested .* ignored/.test(e.action)),
        'recorded',
      );
      assert.equal((await handle.describe()).status.name, 'RUNNING', 'the account lives on');
      const after = await handle.query(getAccountQuery);
      assert.equal(after.status, before.status);
      const noted = await handle.executeUpdate(setNotesUpdate, {
        args: [{ actor: ADMIN, notes: 'still here' }],
      });
      assert.equal(noted.notes, 'still here', 'it still takes changes');
      await h.sleep(31 * DAY);
      assert.equal(
        (await handle.query(getAccountQuery)).status,
        'Inactive',
        'and its timers still run (R30)',
      );
    });
  });

  it('names each timer and activity in domain words, and says what it waits for now', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle } = await activeAccount(h);
      const history = await handle.fetchHistory();
      const summaries: string[] = [];
      for (const event of history.events!) {
        const summary = event.userMetadata?.summary;
        if (summary) summaries.push(await decoded<string>(summary));
      }
      for (const expected of ['mailbox poll', 'join the MFA group', 'publish the directory entry']) {
        assert.ok(
          summaries.includes(expected),
          `"${expected}" in ${JSON.stringify([...new Set(summaries)])}`,
        );
      }
      // What Temporal Web shows as the workflow's current details comes from the SDK's metadata query.
      const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
      assert.match(metadata.currentDetails ?? '', /^Active; next: inactive without a sign-in \(R30\) at /);
    });
  });

  it('an account is started as accountLifecycleV2, whose history records no patch; one started before it lives on as accountLifecycle', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle } = await activeAccount(h);
      assert.equal((await handle.describe()).type, 'accountLifecycleV2');
      assert.equal(patchEvents(await handle.fetchHistory()), 0, 'no patch marker, no TemporalChangeVersion');

      // An account whose lifecycle was started before accountLifecycleV2 existed: its runs go on as before.
      const org = referenceData.organisation('RJ1')!;
      const email = `jane.earlier${process.pid}@nhs.net`;
      const earlier = await h.client.workflow.start(accountLifecycle, {
        taskQueue: h.taskQueue,
        workflowId: accountWorkflowId(email),
        args: [
          {
            account: {
              id: email,
              email,
              profile: {
                title: 'Dr',
                firstName: 'Jane',
                lastName: 'Earlier',
                mobile: ukTestMobile(),
                clinicalSpecialities: [],
                clinicalRoles: ['R8000'],
                workAreas: [],
              },
              organisation: snapshotOf(org),
              notes: '',
              createdBy: ADMIN,
            },
            policy: DEFAULT_POLICY,
          },
        ],
      });
      h.track(earlier);
      await h.sleep(3 * HOUR + 30 * 60_000);
      await until(earlier, (v) => v.status === 'Active', 'Active');
      assert.equal((await earlier.describe()).type, 'accountLifecycle');
      assert.equal(
        patchEvents(await earlier.fetchHistory()),
        6,
        'a run of accountLifecycle records its three patches (skip-idle-steps, timers-decide and, R2, ' +
          'writes-audit-store), each a marker and a TemporalChangeVersion update',
      );
    });
  });

  it('R30: 365 daily sign-ins keep the history bounded: a few events per sign-in, and no timer restarted', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle } = await activeAccount(h);
      await report(handle, { type: 'SignedIn' });
      const start = await handle.fetchHistory();
      for (let day = 0; day < 365; day++) {
        await h.sleep(DAY);
        await report(handle, { type: 'SignedIn' });
      }
      const end = await handle.fetchHistory();
      const perSignIn = (end.events!.length - start.events!.length) / 365;
      const timers =
        count(end, EventType.EVENT_TYPE_TIMER_STARTED) - count(start, EventType.EVENT_TYPE_TIMER_STARTED);
      console.log(
        `      365 daily sign-ins: ${end.events!.length - start.events!.length} history events ` +
          `(${perSignIn.toFixed(2)} per sign-in), ${timers} timers started`,
      );
      assert.ok(perSignIn <= 6, `${perSignIn} events per sign-in`);
      assert.ok(
        timers <= 15,
        `${timers} timers started in a year: the inactivity timer is not restarted each day`,
      );
      assert.equal((await handle.query(getAccountQuery)).status, 'Active');
    });
  });
});
