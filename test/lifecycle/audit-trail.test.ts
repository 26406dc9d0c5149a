import assert from 'node:assert/strict';
import { AesGcmPayloadCodec } from '../../src/crypto/payload-codec';
import { initialSearchAttributes } from '../../src/domain/account-search-attributes';
import type { AuditEntry, NewAccount } from '../../src/domain/account';
import { initialState } from '../../src/domain/lifecycle-state';
import { snapshotOf } from '../../src/domain/organisation';
import { DEFAULT_POLICY } from '../../src/domain/policy';
import { referenceData } from '../../src/reference/reference-data';
import { accountLifecycleV2, type LifecycleInput } from '../../src/workflows/account-lifecycle';
import { getAccountHistoryQuery, setNotesUpdate } from '../../src/workflows/definitions';
import { accountWorkflowId } from '../../src/workflows/workflow-id';
import { ADMIN, activeAccount, lifecycleHarness, passFirstGates, until } from '../helpers/lifecycle-harness';
import { testKeyRing } from '../helpers/test-keys';

const seqs = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('Audit trail (R2)', () => {
  it('R2: each entry is written to the audit store once, in order, as its step ends; the lifecycle holds none after, and continue-as-new carries none', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle, id } = await activeAccount(h, { policy: { historyEventLimit: 120 } });
      const firstRun = (await handle.describe()).runId;
      await passFirstGates(handle);
      for (let i = 0; i < 30; i++) {
        await handle.executeUpdate(setNotesUpdate, { args: [{ actor: ADMIN, notes: `note ${i}` }] });
      }
      await until(handle, (v) => v.notes === 'note 29', 'notes applied');
      const run = await handle.describe();
      assert.notEqual(run.runId, firstRun, 'the lifecycle continued as new');

      const stored = await h.audit.history(id);
      assert.deepEqual(
        stored.map((r) => r.seq),
        seqs(stored.length),
        'every entry once, none missing',
      );
      assert.equal(stored[0]!.action, 'Account created');
      assert.equal(stored[0]!.organisation, 'RJ1');
      assert.equal(stored.filter((r) => r.action === 'Notes changed').length, 30);
      assert.deepEqual(
        await handle.query(getAccountHistoryQuery),
        [],
        'the lifecycle holds nothing unwritten',
      );
      assert.equal((await h.trail(handle)).length, stored.length, 'the history is the store’s');

      // What the new run started with: the count of entries written, not the trail.
      const started = (await handle.fetchHistory()).events![0]!.workflowExecutionStartedEventAttributes!;
      const [payload] = await new AesGcmPayloadCodec(testKeyRing).decode(started.input!.payloads!);
      const input = JSON.parse(Buffer.from(payload!.data!).toString()) as LifecycleInput;
      assert.deepEqual(input.carried!.audit, []);
      assert.ok(input.carried!.auditWritten! > 30, `carried ${input.carried!.auditWritten} written`);
    });
  });

  it('R2: a lifecycle from before the audit store, carrying its whole trail, writes it to the store at its first step on the new code, once', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const org = referenceData.organisation('RJ1')!;
      const email = `old.run.${Date.now()}@nhs.net`;
      const account: NewAccount = {
        id: email,
        email,
        profile: {
          title: 'Dr',
          firstName: 'Old',
          lastName: 'Run',
          clinicalRoles: [],
          clinicalSpecialities: [],
          workAreas: [],
        },
        organisation: snapshotOf(org),
        notes: '',
        createdBy: ADMIN,
      };
      const now = await h.now();
      const state = initialState(account, new Date(now));
      const carriedTrail: AuditEntry[] = ['Account created', 'Notes changed', 'Notes changed'].map(
        (action, i) => ({ at: new Date(now + i).toISOString(), actor: ADMIN, action }),
      );
      // As a run on the code before the store continued as new: the trail whole, no count of entries written.
      const input: LifecycleInput = {
        account,
        policy: DEFAULT_POLICY,
        carried: {
          state,
          audit: carriedTrail,
          password: { sealed: null, toShow: false },
          publishedEntry: null,
        },
      };
      const handle = await h.client.workflow.start(accountLifecycleV2, {
        taskQueue: h.taskQueue,
        workflowId: accountWorkflowId(email),
        args: [input],
        typedSearchAttributes: initialSearchAttributes(state),
      });
      h.track(handle);
      await handle.executeUpdate(setNotesUpdate, { args: [{ actor: ADMIN, notes: 'on the new code' }] });
      await handle.executeUpdate(setNotesUpdate, { args: [{ actor: ADMIN, notes: 'and again' }] });

      const stored = await h.audit.history(email);
      assert.deepEqual(
        stored.map((r) => [r.seq, r.action]),
        [
          [0, 'Account created'],
          [1, 'Notes changed'],
          [2, 'Notes changed'],
          [3, 'Notes changed'],
          [4, 'Notes changed'],
        ],
        'the carried trail once, then the new entries after it',
      );
      assert.ok(stored.every((r) => r.organisation === 'RJ1'));
      assert.deepEqual(await handle.query(getAccountHistoryQuery), []);
      const markers = (await handle.fetchHistory()).events!.filter(
        (e) => e.markerRecordedEventAttributes?.markerName === 'core_patch',
      );
      assert.equal(markers.length, 1, 'one patch marker for the run');
    });
  });
});
