import assert from 'node:assert/strict';
import { Context } from '@temporalio/activity';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import type { Activities } from '../../src/activities';
import { CENTRAL_MFA_GROUP } from '../../src/domain/organisation';
import { AesGcmPayloadCodec } from '../../src/crypto/payload-codec';
import { getAccountQuery, startMfaExceptionUpdate, setNotesUpdate } from '../../src/workflows/definitions';
import {
  ADMIN,
  HOUR,
  MINUTE,
  activeAccount,
  lifecycleHarness,
  passFirstGates,
  ukTestMobile,
  until,
} from '../helpers/lifecycle-harness';
import { workflowBundle } from '../helpers/global-setup';
import { testDataConverter, testKeyRing } from '../helpers/test-keys';
import { happyPath } from '../replay/representative-lifecycles';

describe('Temporal history', () => {
  it('R13, R7: the raw history of a whole lifecycle holds neither the temporary password nor the mobile number', async () => {
    const h = await lifecycleHarness({ syncDelayMs: 20 * MINUTE });
    await h.run(async () => {
      const mobile = ukTestMobile();
      const { handle, password } = await happyPath(h, { mobile });
      const history = await handle.fetchHistory();
      const raw = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
      const national = `0${mobile.slice(3)}`;
      for (const secret of [password, mobile, mobile.slice(1), national]) {
        assert.equal(
          raw.includes(Buffer.from(secret)),
          false,
          `found ${secret === password ? 'the password' : 'the mobile'}`,
        );
      }
      // The same search does find the mobile once the start event's input is decrypted: it would catch a leak.
      const input = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads!;
      const decoded = await new AesGcmPayloadCodec(testKeyRing).decode(input);
      assert.ok(Buffer.from(decoded[0]!.data!).includes(Buffer.from(mobile)));
    });
  });

  it("security: the worker refuses one account's payloads in another account's workflow", async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle } = await h.start();
      const history = await handle.fetchHistory();
      const options = { workflowBundle: await workflowBundle(), dataConverter: testDataConverter };
      await Worker.runReplayHistory(options, history, handle.workflowId);
      await assert.rejects(
        Worker.runReplayHistory(options, history, 'account:someone.else@nhs.net'),
        /another workflow/,
        'the same history, its payloads read as if another workflow held them',
      );
    });
  });

  it('continues as new when the history grows, carrying the state, the audit trail, timers, the unshown password and in-flight Updates', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle } = await activeAccount(h, { policy: { historyEventLimit: 120 } });
      const firstRun = (await handle.describe()).runId;
      await passFirstGates(handle);
      const started = await handle.executeUpdate(startMfaExceptionUpdate, {
        args: [{ actor: ADMIN, term: 'short', riskAssessmentRef: 'RA-1' }],
      });
      const notes = Array.from({ length: 40 }, (_, i) => `note ${i}`);
      const answers = await Promise.all(
        notes.map((n) => handle.executeUpdate(setNotesUpdate, { args: [{ actor: ADMIN, notes: n }] })),
      );
      assert.equal(answers.length, 40, 'every Update answered');

      const { runId } = await handle.describe();
      assert.notEqual(runId, firstRun, 'the lifecycle continued as new');
      const view = await handle.query(getAccountQuery);
      assert.equal(view.status, 'Active');
      assert.equal(view.gates.SecretSet.passed, true);
      assert.equal(view.mfa.exceptionEndsAt, started.mfa.exceptionEndsAt);
      const trail = await h.trail(handle);
      assert.equal(trail[0]!.action, 'Account created', 'the audit trail is carried over');
      assert.equal(trail.filter((e) => e.action === 'Notes changed').length, 40, 'no Update lost');

      await h.sleep(24 * HOUR + MINUTE);
      const after = await until(handle, (v) => v.mfa.exception === null, 'exception ended in a later run');
      assert.equal(after.mfa.group, CENTRAL_MFA_GROUP);
      const password = await h.temporaryPassword(handle, handle.workflowId.replace('account:', ''));
      assert.ok(
        (await h.platform.inspect(handle.workflowId.replace('account:', ''))).passwordMatches(password),
        'the unshown password is carried over too',
      );
    });
  });

  it('a retried activity (failure after the platform call) leaves one account, one mailbox and one membership', async () => {
    const attempts: Record<string, number> = {};
    const failFirstAttemptAfterCall = (activities: Activities): Activities => {
      const wrapped = { ...activities };
      for (const name of ['createPlatformAccount', 'addToGroup'] as const) {
        const real = activities[name] as (...args: unknown[]) => Promise<unknown>;
        (wrapped as Record<string, unknown>)[name] = async (...args: unknown[]) => {
          const result = await real(...args);
          attempts[name] = (attempts[name] ?? 0) + 1;
          if (Context.current().info.attempt === 1)
            throw new Error('the reply was lost after the platform call');
          return result;
        };
      }
      return wrapped;
    };
    const h = await lifecycleHarness({}, failFirstAttemptAfterCall as <T>(a: T) => T);
    await h.run(async () => {
      const { handle, id } = await h.start();
      const password = await h.temporaryPassword(handle, id);
      await h.sleep(3 * HOUR + 30 * MINUTE);
      await until(handle, (v) => v.status === 'Active', 'Active');
      assert.equal(attempts.createPlatformAccount, 2, 'the platform was called twice');
      assert.equal(attempts.addToGroup, 2);
      assert.equal((await h.platform.operations(id, 'createAccount')).length, 1, 'one account and mailbox');
      assert.equal((await h.platform.operations(id, 'addToGroup')).length, 1, 'one membership');
      assert.deepEqual((await h.platform.inspect(id)).groups, [CENTRAL_MFA_GROUP]);
      assert.ok(
        (await h.platform.inspect(id)).passwordMatches(password),
        'the password shown is the one set',
      );
    });
  });
});
