import assert from 'node:assert/strict';
import { temporal } from '@temporalio/proto';
import { getAccount, getAuditTrail, setNotes } from '../../src/workflows/definitions';
import { ADMIN, DAY, HOUR, activeAccount, lifecycleHarness, report } from '../helpers/lifecycle-harness';
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

describe('Operators: Temporal Web, cancellation, and a history that stays bounded', () => {
  it('R32: a cancellation request is recorded in the audit trail and changes nothing else', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle } = await activeAccount(h);
      const before = await handle.query(getAccount);
      await handle.cancel();
      await h.sleep(HOUR);
      const trail = await handle.query(getAuditTrail);
      assert.ok(
        trail.some((e) => /cancellation was requested .* ignored/.test(e.action)),
        'recorded',
      );
      assert.equal((await handle.describe()).status.name, 'RUNNING', 'the account lives on');
      const after = await handle.query(getAccount);
      assert.equal(after.status, before.status);
      const noted = await handle.executeUpdate(setNotes, { args: [{ actor: ADMIN, notes: 'still here' }] });
      assert.equal(noted.notes, 'still here', 'it still takes changes');
      await h.sleep(31 * DAY);
      assert.equal((await handle.query(getAccount)).status, 'Inactive', 'and its timers still run (R30)');
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
      assert.equal((await handle.query(getAccount)).status, 'Active');
    });
  });
});
