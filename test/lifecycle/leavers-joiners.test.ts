import assert from 'node:assert/strict';
import type { Actor } from '../../src/domain/account';
import { CENTRAL_MFA_GROUP, snapshotOf } from '../../src/domain/organisation';
import { referenceData } from '../../src/reference/reference-data';
import {
  acceptJoinerUpdate,
  getAccountQuery,
  markLeaverUpdate,
  startMfaExceptionUpdate,
  withdrawLeaverMarkUpdate,
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
  until,
  type Harness,
} from '../helpers/lifecycle-harness';
import { refusalOf } from '../helpers/refusal';

type Handle = Awaited<ReturnType<Harness['start']>>['handle'];
const RECEIVING: Actor = { kind: 'local-admin', id: 'admin-other', name: 'Other Admin' };

const mark = (handle: Handle) => handle.executeUpdate(markLeaverUpdate, { args: [{ actor: ADMIN }] });
const join = (handle: Handle, code: string, changes = {}) =>
  handle.executeUpdate(acceptJoinerUpdate, {
    args: [{ actor: RECEIVING, organisation: snapshotOf(referenceData.organisation(code)!), changes }],
  });

/** An account whose user passed every gate but MFA registration, with the sync complete. */
async function onboardedButMfa(h: Harness, organisation: string) {
  const account = await activeAccount(h, { organisation });
  await passFirstGates(account.handle);
  await report(account.handle, { type: 'ProfileUpdated' });
  await h.sleep(HOUR);
  await until(account.handle, (v) => v.sync.status === 'Complete', 'sync complete');
  return account;
}

describe('R28: leavers and joiners', () => {
  it('R28: an Active account marked as a leaver is a Leaver for 30 days, keeps its mail, and its user is told at once', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle, id } = await onboardedButMfa(h, 'FH542');
      assert.equal((await handle.query(getAccountQuery)).canSendEmail, true);
      const view = await mark(handle);
      assert.equal(view.status, 'Leaver');
      assert.equal(Date.parse(view.leaver!.windowEndsAt) - Date.parse(view.leaver!.markedAt), 30 * DAY);
      assert.equal(view.leaver!.markedBy.id, ADMIN.id);
      assert.equal(view.canSendEmail, true, 'the user keeps using mail meanwhile');
      const notes = await h.platform.operations(id, 'notify');
      assert.equal(notes.length, 1, 'told once');
      assert.match(notes[0]!.detail!, /leaver/);
      const entry = (await h.directory.search({ status: 'Leaver', q: id, limit: 5 })).entries[0];
      assert.equal(entry?.leaverWindowEndsAt, view.leaver!.windowEndsAt, 'the directory knows the window');
      assert.match((await refusalOf(mark(handle))).message, /already marked/);
    });
  });

  it('R28: the organisation can withdraw the mark within the window; the account is Active again', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle } = await activeAccount(h);
      await mark(handle);
      await h.sleep(10 * DAY);
      const view = await handle.executeUpdate(withdrawLeaverMarkUpdate, { args: [{ actor: ADMIN }] });
      assert.equal(view.status, 'Active');
      assert.equal(view.leaver, null);
      await report(handle, { type: 'SignedIn' });
      await h.sleep(21 * DAY);
      assert.equal(
        (await handle.query(getAccountQuery)).status,
        'Active',
        'not deleted when the window would have ended',
      );
      assert.match(
        (await refusalOf(handle.executeUpdate(withdrawLeaverMarkUpdate, { args: [{ actor: ADMIN }] })))
          .message,
        /not marked/,
      );
    });
  });

  it('R28, R21, R14a: from a trust to a PODS organisation and back, the MFA group, the MFA gate and the policy follow; address, password, gates and history stay', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle, id, email } = await onboardedButMfa(h, 'RRV');
      const password = await h.temporaryPassword(handle, id);
      await handle.executeUpdate(startMfaExceptionUpdate, {
        args: [{ actor: ADMIN, term: 'long', riskAssessmentRef: 'RA-UCLH-9' }],
      });
      let view = await handle.query(getAccountQuery);
      assert.deepEqual(view.pendingGates, [], 'MFA registration waits while the exception runs');

      await mark(handle);
      view = await join(handle, 'FH542', { jobTitle: 'Pharmacist' });
      assert.equal(view.status, 'Active');
      assert.equal(view.organisation.code, 'FH542');
      assert.equal(view.email, email, 'the address stays');
      assert.equal(view.mfa.exception, null, 'the exception ended at the move');
      assert.equal(view.mfa.applies, false);
      assert.deepEqual((await h.platform.inspect(id)).groups, [], 'out of the UCLH group, into none');
      assert.equal((await h.platform.inspect(id)).policy, null, 'back on the national user policy');
      assert.equal((await h.platform.inspect(id)).organisationCode, 'FH542');
      assert.deepEqual(view.pendingGates, []);
      assert.equal(view.canSendEmail, true);
      assert.equal(view.profile.jobTitle, 'Pharmacist');
      assert.equal(view.profile.organisationalUnit, undefined, "the old organisation's unit is cleared");

      await mark(handle);
      view = await join(handle, 'RJ1', { organisationalUnit: 'RJ1-CARD-CCU' });
      assert.equal(view.mfa.applies, true);
      assert.deepEqual((await h.platform.inspect(id)).groups, [CENTRAL_MFA_GROUP]);
      assert.equal((await h.platform.inspect(id)).policy, 'GSTT Standard User Policy');
      assert.deepEqual(view.pendingGates, ['MfaRegistered'], 'MFA registration is a gate again');
      assert.equal(view.canSendEmail, false);
      assert.equal(view.gates.SecretSet.passed, true, 'the passed gates are kept');
      assert.ok((await h.platform.inspect(id)).passwordMatches(password), 'the password is kept');
      const trail = await h.trail(handle);
      assert.equal(trail[0]!.action, 'Account created', 'the whole history is kept');
      assert.ok(trail.some((e) => e.action.startsWith('MFA exception ended: the account moved')));
      assert.equal(trail.filter((e) => e.action.startsWith('Joined ')).length, 2);
      await report(handle, { type: 'MfaRegistered', method: 'sms', phone: reported(view.profile.mobile!) });
      assert.equal((await handle.query(getAccountQuery)).canSendEmail, true);
    });
  });

  it('R28, R32: a leaver no organisation accepts is deleted at 30 days, and not before', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle, id } = await activeAccount(h);
      await mark(handle);
      await h.sleep(30 * DAY - HOUR);
      assert.equal((await handle.query(getAccountQuery)).status, 'Leaver', 'still a leaver an hour before');
      assert.equal((await h.platform.inspect(id)).exists, true);
      await h.sleep(2 * HOUR);
      const view = await until(handle, (v) => v.status === 'Deleted', 'deleted');
      assert.equal(view.deletion!.statusBefore, 'Leaver');
      assert.equal(
        (await h.platform.inspect(id)).exists,
        false,
        'the platform account and mailbox are removed',
      );
      assert.equal(await h.directory.get(id), undefined, 'gone from the directory');
    });
  });

  it('R28: a joiner accepted on day 29 stays, in its new organisation', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle, id } = await activeAccount(h);
      await mark(handle);
      await h.sleep(29 * DAY);
      await join(handle, 'RRV');
      await h.sleep(3 * DAY);
      const view = await handle.query(getAccountQuery);
      assert.equal(view.status, 'Active');
      assert.equal(view.organisation.code, 'RRV');
      assert.deepEqual((await h.platform.inspect(id)).groups, ['UCLH-MFA-Local-CA']);
      assert.equal((await h.directory.get(id))?.organisationCode, 'RRV');
    });
  });

  it('R28: only a leaver can be accepted, and not into the organisation it is leaving', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle } = await activeAccount(h);
      assert.match((await refusalOf(join(handle, 'RRV'))).message, /Only a leaver/);
      await mark(handle);
      assert.match((await refusalOf(join(handle, 'RJ1'))).message, /withdraw the leaver mark/);
    });
  });
});
