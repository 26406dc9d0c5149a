import assert from 'node:assert/strict';
import {
  editAccountUpdate,
  getAccountQuery,
  resecureAccountUpdate,
  takeTemporaryPasswordUpdate,
} from '../../src/workflows/definitions';
import {
  ADMIN,
  DAY,
  HOUR,
  activeAccount,
  lifecycleHarness,
  passFirstGates,
  report,
  reported,
  ukTestMobile,
  until,
  type Harness,
} from '../helpers/lifecycle-harness';
import { refusalOf } from '../helpers/refusal';

type Handle = Awaited<ReturnType<Harness['start']>>['handle'];
const resecure = (handle: Handle) =>
  handle.executeUpdate(resecureAccountUpdate, { args: [{ actor: ADMIN }] });

/** Create to canSendEmail (R18-R20). */
async function onboarded(h: Harness) {
  const account = await activeAccount(h);
  await h.temporaryPassword(account.handle, account.id);
  await passFirstGates(account.handle);
  const mobile = account.view.profile.mobile!;
  await report(account.handle, { type: 'MfaRegistered', method: 'sms', phone: reported(mobile) });
  await report(account.handle, { type: 'ProfileUpdated' });
  await h.sleep(HOUR);
  await until(account.handle, (v) => v.canSendEmail, 'canSendEmail');
  return account;
}

describe('R29: resecure', () => {
  it('R29, R13: a resecure issues a new temporary password shown once, resets the AUP and the secret, signs out every session, and mail waits until the user re-secures', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle, id } = await onboarded(h);
      const view = await resecure(handle);
      assert.deepEqual(view.pendingGates, ['PasswordChanged', 'AupAccepted', 'SecretSet']);
      assert.equal(view.canSendEmail, false);
      assert.equal(view.resecure!.requestedBy.id, ADMIN.id);
      const password = await h.temporaryPassword(handle, id);
      assert.ok((await h.platform.inspect(id)).passwordMatches(password), 'set on the platform');
      await refusalOf(handle.executeUpdate(takeTemporaryPasswordUpdate));
      for (const op of ['resetAupAndSecret', 'revokeSessions', 'setPassword']) {
        assert.equal((await h.platform.operations(id, op)).length, 1, op);
      }
      const syncs = (await h.platform.operations(id, 'beginSync')).length;
      await passFirstGates(handle);
      const after = await handle.query(getAccountQuery);
      assert.equal(after.resecure, null);
      assert.equal(after.canSendEmail, true, 'mail again, without a second sync');
      assert.equal((await h.platform.operations(id, 'beginSync')).length, syncs);
      const trail = (await h.trail(handle)).map((e) => e.action);
      assert.ok(trail.some((a) => a.startsWith('Account resecured')));
      assert.ok(trail.includes('The user re-secured the account (R29)'));
    });
  });

  it('R29: a user who has not re-secured within 30 days is flagged with an incident, and not before', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle, id } = await onboarded(h);
      await resecure(handle);
      await h.sleep(20 * DAY);
      await report(handle, { type: 'SignedIn' }); // keeps the account Active (R30)
      await h.sleep(10 * DAY - HOUR);
      assert.equal(
        (await handle.query(getAccountQuery)).resecure!.overdue,
        false,
        'not flagged an hour before',
      );
      await h.sleep(2 * HOUR);
      const view = await until(handle, (v) => v.resecure?.overdue === true, 'flagged');
      assert.ok(view.warnings.some((w) => /not re-secured the account within 30 days/.test(w)));
      const incidents = await h.incidents.list(id);
      assert.deepEqual(
        incidents.map((i) => [i.kind, i.status]),
        [['ResecureOverdue', 'Open']],
      );
      await passFirstGates(handle);
      assert.equal((await h.incidents.list(id))[0]!.status, 'Resolved');
    });
  });

  it('R29, R17: refused while Pending with the words of R17; allowed for a Disabled account', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const pending = await h.start();
      assert.match(
        (await refusalOf(resecure(pending.handle))).message,
        /cannot be edited until it is Active/,
      );

      const { handle } = await activeAccount(h);
      await report(handle, { type: 'PasswordChanged' });
      await report(handle, { type: 'ProfileUpdated', mobile: reported('+33612345678') });
      assert.equal((await handle.query(getAccountQuery)).status, 'Disabled');
      const view = await resecure(handle);
      assert.equal(view.status, 'Disabled', 'still disabled until a UK mobile is set (R7)');
      assert.deepEqual(view.pendingGates.slice(0, 3), ['PasswordChanged', 'AupAccepted', 'SecretSet']);
      await handle.executeUpdate(editAccountUpdate, {
        args: [{ actor: ADMIN, changes: { mobile: ukTestMobile() } }],
      });
      assert.equal((await handle.query(getAccountQuery)).status, 'Active');
    });
  });
});
