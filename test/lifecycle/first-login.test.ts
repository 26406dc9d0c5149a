import assert from 'node:assert/strict';
import type { IdentityEvent } from '../../src/domain/identity-events';
import { editAccountUpdate, getAccountQuery } from '../../src/workflows/definitions';
import {
  ADMIN,
  HOUR,
  MINUTE,
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

const SMS = (number: string): IdentityEvent => ({
  type: 'MfaRegistered',
  method: 'sms',
  phone: reported(number),
});

async function onboard(handle: Awaited<ReturnType<Harness['start']>>['handle'], mobile: string) {
  await passFirstGates(handle);
  await report(handle, SMS(mobile));
  return report(handle, { type: 'ProfileUpdated' });
}

describe('First login', () => {
  it('R18: refuses every first-login event before the account is Active, naming what is missing', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle } = await h.start();
      const refused = await refusalOf(report(handle, { type: 'PasswordChanged' }));
      assert.match(refused.message, /Pending/);
      assert.deepEqual(refused.missing, ['Active']);
      assert.equal((await handle.query(getAccountQuery)).gates.PasswordChanged.passed, false);
    });
  });

  it('R18: refuses an out-of-order event naming the missing step, changes nothing, and takes a repeat harmlessly', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle } = await activeAccount(h);
      let refused = await refusalOf(report(handle, { type: 'AupAccepted' }));
      assert.deepEqual(refused.missing, ['PasswordChanged']);
      assert.match(refused.message, /before PasswordChanged/);

      await report(handle, { type: 'PasswordChanged' });
      refused = await refusalOf(report(handle, { type: 'SecretSet' }));
      assert.deepEqual(refused.missing, ['AupAccepted']);
      refused = await refusalOf(report(handle, SMS(ukTestMobile())));
      assert.deepEqual(refused.missing, ['AupAccepted', 'SecretSet']);

      await report(handle, { type: 'AupAccepted' });
      refused = await refusalOf(report(handle, SMS(ukTestMobile())));
      assert.deepEqual(refused.missing, ['SecretSet']);

      const before = await handle.query(getAccountQuery);
      const repeat = await report(handle, { type: 'PasswordChanged' });
      assert.equal(
        repeat.gates.PasswordChanged.at,
        before.gates.PasswordChanged.at,
        'a repeat changes nothing',
      );
      assert.deepEqual(repeat.pendingGates, ['SecretSet', 'MfaRegistered', 'ProfileUpdated']);
    });
  });

  it('R19: no mail or Teams until every gate has passed and the sync is complete', async () => {
    const h = await lifecycleHarness({ syncDelayMs: 30 * MINUTE });
    await h.run(async () => {
      const mobile = ukTestMobile();
      const { handle } = await activeAccount(h, { profile: { mobile } });
      let view = await onboard(handle, mobile);
      assert.deepEqual(view.pendingGates, []);
      assert.equal(view.sync.status, 'Waiting');
      assert.equal(view.canSendEmail, false, 'the sync is not complete yet');
      assert.equal(view.canUseTeams, false);

      await h.sleep(40 * MINUTE);
      view = await until(handle, (v) => v.sync.status === 'Complete', 'sync complete');
      assert.equal(view.canSendEmail, true);
      assert.equal(view.canUseTeams, true);
    });
  });

  it('R19: with the sync complete but a gate still open, mail stays off', async () => {
    const h = await lifecycleHarness({ syncDelayMs: 10 * MINUTE });
    await h.run(async () => {
      const { handle } = await activeAccount(h);
      await report(handle, { type: 'PasswordChanged' });
      await report(handle, { type: 'AupAccepted' });
      await h.sleep(HOUR);
      const view = await until(handle, (v) => v.sync.status === 'Complete', 'sync complete');
      assert.deepEqual(view.pendingGates, ['SecretSet', 'MfaRegistered', 'ProfileUpdated']);
      assert.equal(view.canSendEmail, false);
    });
  });

  it('R20: waits for the platform sync after the AUP, and at 2 hours raises an incident and shows syncOverdue', async () => {
    const h = await lifecycleHarness({ syncDelayMs: null });
    await h.run(async () => {
      const { handle, id } = await activeAccount(h);
      await report(handle, { type: 'PasswordChanged' });
      const accepted = await report(handle, { type: 'AupAccepted' });
      const aupAt = Date.parse(accepted.gates.AupAccepted.at!);
      assert.equal((await h.platform.operations(id, 'beginSync')).length, 1);

      await h.sleep(HOUR + 50 * MINUTE);
      let view = await handle.query(getAccountQuery);
      assert.equal(view.syncOverdue, false, 'not overdue before 2 hours');
      assert.ok((await h.platform.operations(id, 'syncStatus')).length > 0, 'the engine polls the sync');

      await h.sleep(20 * MINUTE);
      view = await until(handle, (v) => v.syncOverdue, 'sync overdue');
      const incidents = (await h.incidents.list(id)).filter((i) => i.kind === 'SyncOverdue');
      assert.equal(incidents.length, 1);
      assert.ok(Date.parse(incidents[0]!.raisedAt) - aupAt >= 2 * HOUR, 'raised at 2 hours');
      assert.ok(view.warnings.some((w) => w.includes('sync is overdue')));
      assert.equal(view.canSendEmail, false);
    });
  });

  it('R7: a non-UK number registered by the user disables the account until an administrator sets a UK mobile', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle, id } = await activeAccount(h);
      await passFirstGates(handle);
      let view = await report(handle, SMS('+33612345678'));
      assert.equal(view.status, 'Disabled');
      assert.equal(view.disabledReason, 'NonUkMobile');
      assert.ok(
        view.warnings.some((w) => w.includes('the user registered a number of France, not a UK number')),
        'the warning says which country the number was taken to be',
      );
      assert.ok(
        (await h.trail(handle)).some((e) => /registered a number of France/.test(e.action)),
        'and so does the history',
      );
      assert.equal(view.gates.MfaRegistered.passed, false);
      assert.equal((await h.platform.inspect(id)).enabled, false, 'disabled on the platform');

      const refused = await refusalOf(report(handle, SMS(ukTestMobile())));
      assert.match(refused.message, /disabled because the user registered a number of France/);
      assert.equal((await handle.query(getAccountQuery)).status, 'Disabled', 'stays disabled');

      const mobile = ukTestMobile();
      view = await handle.executeUpdate(editAccountUpdate, { args: [{ actor: ADMIN, changes: { mobile } }] });
      assert.equal(view.status, 'Active');
      assert.equal(view.disabledReason, null);
      assert.equal(view.profile.mobile, mobile);
      assert.equal((await h.platform.inspect(id)).enabled, true, 're-enabled on the platform');
      view = await report(handle, SMS(mobile));
      assert.equal(view.gates.MfaRegistered.passed, true);
    });
  });

  it('R7: setting the very UK mobile the account already held re-enables it', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const mobile = ukTestMobile();
      const { handle, id } = await activeAccount(h, { profile: { mobile } });
      await passFirstGates(handle);
      assert.equal((await report(handle, SMS('+33612345678'))).status, 'Disabled');
      const view = await handle.executeUpdate(editAccountUpdate, {
        args: [{ actor: ADMIN, changes: { mobile } }],
      });
      assert.equal(view.status, 'Active');
      assert.equal((await h.platform.inspect(id)).enabled, true);
    });
  });

  it('R7: a UK landline registered for voice MFA is a UK number and does not disable the account', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle } = await activeAccount(h);
      await passFirstGates(handle);
      const view = await report(handle, {
        type: 'MfaRegistered',
        method: 'voice',
        phone: reported('020 7188 7188'),
      });
      assert.equal(view.status, 'Active');
      assert.equal(view.gates.MfaRegistered.passed, true);
    });
  });

  it('R7: a non-UK mobile in a profile update also disables the account', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle } = await activeAccount(h);
      await report(handle, { type: 'PasswordChanged' });
      const view = await report(handle, {
        type: 'ProfileUpdated',
        mobile: reported('+12025550123'),
      });
      assert.equal(view.status, 'Disabled');
      assert.equal(view.gates.ProfileUpdated.passed, false);
    });
  });

  it('R8: registration cannot complete while the account holds no UK mobile', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle } = await activeAccount(h, { profile: { mobile: undefined } });
      await report(handle, { type: 'PasswordChanged' });
      const view = await handle.query(getAccountQuery);
      assert.ok(view.warnings.some((w) => w.includes('no UK mobile')));
      const refused = await refusalOf(report(handle, { type: 'ProfileUpdated' }));
      assert.deepEqual(refused.missing, ['UK mobile number']);
      const landline = await refusalOf(
        report(handle, { type: 'ProfileUpdated', mobile: reported('020 7188 7188') }),
      );
      assert.match(landline.message, /not a mobile/);
      const mobile = ukTestMobile();
      const accepted = await report(handle, {
        type: 'ProfileUpdated',
        mobile: reported(mobile),
      });
      assert.equal(accepted.gates.ProfileUpdated.passed, true);
      assert.equal(accepted.profile.mobile, mobile, 'the mobile the user gave is kept');
    });
  });
});
