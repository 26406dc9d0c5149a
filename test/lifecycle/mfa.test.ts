import assert from 'node:assert/strict';
import type { AccountView } from '../../src/domain/lifecycle-state';
import { CENTRAL_MFA_GROUP } from '../../src/domain/organisation';
import {
  endMfaExceptionUpdate,
  getAccountQuery,
  startMfaExceptionUpdate,
} from '../../src/workflows/definitions';
import {
  ADMIN,
  DAY,
  HOUR,
  MINUTE,
  SECOND,
  activeAccount,
  liveThrough,
  lifecycleHarness,
  passFirstGates,
  report,
  until,
  type Harness,
} from '../helpers/lifecycle-harness';
import { refusalOf } from '../helpers/refusal';

type Handle = Awaited<ReturnType<Harness['start']>>['handle'];
const exception = (handle: Handle, term: 'short' | 'long', riskAssessmentRef = 'RA-2026-117') =>
  handle.executeUpdate(startMfaExceptionUpdate, { args: [{ actor: ADMIN, term, riskAssessmentRef }] });

/** The user has accepted the AUP and set the account secret, but not registered MFA (R23's condition). */
async function readyForException(h: Harness, organisation = 'RJ1') {
  const account = await activeAccount(h, { organisation });
  await passFirstGates(account.handle);
  return account;
}

describe('MFA', () => {
  it('R21: on activation the account joins the central MFA group, and registration is a gate', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { id, view } = await activeAccount(h, { organisation: 'RJ1' });
      assert.deepEqual((await h.platform.inspect(id)).groups, [CENTRAL_MFA_GROUP]);
      assert.equal(view.mfa.group, CENTRAL_MFA_GROUP);
      assert.equal(view.mfa.inGroup, true);
      assert.equal(view.gates.MfaRegistered.applies, true);
    });
  });

  it('R21: an organisation with a local Conditional Access group puts the account in that group instead', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { id, view } = await activeAccount(h, { organisation: 'RRV' });
      assert.deepEqual((await h.platform.inspect(id)).groups, ['UCLH-MFA-Local-CA']);
      assert.equal(view.mfa.group, 'UCLH-MFA-Local-CA');
    });
  });

  it('R21: a NAS-managed (PODS) account gets no MFA group and skips the MFA gate', async () => {
    const h = await lifecycleHarness({ syncDelayMs: 10 * MINUTE });
    await h.run(async () => {
      const { handle, id, view } = await activeAccount(h, { organisation: 'FH542' });
      assert.deepEqual((await h.platform.inspect(id)).groups, []);
      assert.equal(view.mfa.applies, false);
      assert.equal(view.gates.MfaRegistered.applies, false);
      await passFirstGates(handle);
      await report(handle, { type: 'ProfileUpdated' });
      await h.sleep(HOUR);
      const done = await until(handle, (v) => v.sync.status === 'Complete', 'sync complete');
      assert.deepEqual(done.pendingGates, []);
      assert.equal(done.canSendEmail, true, 'mail without MFA registration');
      const refused = await refusalOf(exception(handle, 'short'));
      assert.match(refused.message, /does not apply/);
    });
  });

  it('R22: a short exception takes the account out of its MFA group for exactly 24 hours', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle, id } = await readyForException(h);
      const started = await exception(handle, 'short');
      const startedAt = Date.parse(started.mfa.exception!.startedAt);
      assert.equal(Date.parse(started.mfa.exceptionEndsAt!) - startedAt, 24 * HOUR);
      assert.deepEqual((await h.platform.inspect(id)).groups, [], 'left the MFA group');
      assert.equal(started.gates.MfaRegistered.applies, false, 'no MFA registration while excepted');

      await h.sleep(24 * HOUR - MINUTE);
      assert.deepEqual((await h.platform.inspect(id)).groups, [], 'still out just before 24 hours');
      await h.sleep(2 * MINUTE);
      await until(handle, (v) => v.mfa.exception === null, 'exception over');
      const [rejoined] = (await h.platform.operations(id, 'addToGroup')).slice(-1);
      const late = Date.parse(rejoined!.at) - (startedAt + 24 * HOUR);
      assert.ok(late >= 0 && late < SECOND, `rejoined ${late} ms after the end`);
      assert.deepEqual((await h.platform.inspect(id)).groups, [CENTRAL_MFA_GROUP]);
    });
  });

  it('R22: a request without a risk assessment reference is refused and changes nothing', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle, id } = await readyForException(h);
      const refused = await refusalOf(exception(handle, 'short', '  '));
      assert.match(refused.message, /risk-based assessment/);
      assert.deepEqual((await h.platform.inspect(id)).groups, [CENTRAL_MFA_GROUP]);
      assert.equal((await handle.query(getAccountQuery)).mfa.exception, null);
    });
  });

  it('R22, R24: a long exception lasts six calendar months, and the account is back in its group then and not before', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle, id } = await readyForException(h, 'RRV');
      const started = await exception(handle, 'long');
      const start = new Date(started.mfa.exception!.startedAt);
      const end = new Date(started.mfa.exceptionEndsAt!);
      const expected = new Date(start);
      expected.setUTCMonth(expected.getUTCMonth() + 6);
      if (expected.getUTCDate() !== start.getUTCDate()) expected.setUTCDate(0); // short month: its last day
      assert.equal(end.toISOString(), expected.toISOString(), 'six calendar months');
      assert.deepEqual((await h.platform.inspect(id)).groups, []);

      const span = end.getTime() - start.getTime();
      await liveThrough(h, handle, span - HOUR);
      const before = await handle.query(getAccountQuery);
      assert.notEqual(before.mfa.exception, null, 'still excepted an hour before the end');
      assert.deepEqual((await h.platform.inspect(id)).groups, [], 'not back before the end');
      const polls = (await h.platform.operations(id)).filter((op) => op.operation.endsWith('Status'));
      const sync = await handle.query(getAccountQuery);
      assert.equal(sync.sync.status, 'Complete');
      const idle = polls.filter((op) => Date.parse(op.at) > Date.parse(sync.sync.completedAt!));
      assert.deepEqual(idle, [], 'no polling once nothing is waiting, for all six months');
      assert.equal(before.status, 'Active', 'kept Active by its sign-ins (R30)');

      await h.sleep(2 * HOUR);
      const after = await until(handle, (v) => v.mfa.exception === null, 'exception over');
      assert.deepEqual(
        (await h.platform.inspect(id)).groups,
        ['UCLH-MFA-Local-CA'],
        'back in its local group',
      );
      const [rejoined] = (await h.platform.operations(id, 'addToGroup')).slice(-1);
      const late = Date.parse(rejoined!.at) - end.getTime();
      assert.ok(late >= 0 && late < SECOND, `rejoined ${late} ms after the end`);
      assert.equal(after.mfa.group, 'UCLH-MFA-Local-CA');
      assert.deepEqual(
        after.pendingGates,
        ['MfaRegistered', 'ProfileUpdated'],
        'MFA registration required again',
      );
    });
  });

  it('R23: before MFA registration, an exception needs the AUP accepted and the secret set', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle, id } = await activeAccount(h);
      await report(handle, { type: 'PasswordChanged' });
      let refused = await refusalOf(exception(handle, 'short'));
      assert.deepEqual(refused.missing, ['AupAccepted', 'SecretSet']);
      await report(handle, { type: 'AupAccepted' });
      refused = await refusalOf(exception(handle, 'short'));
      assert.deepEqual(refused.missing, ['SecretSet']);
      assert.match(refused.message, /secret/);
      assert.deepEqual((await h.platform.inspect(id)).groups, [CENTRAL_MFA_GROUP], 'nothing changed');
      await report(handle, { type: 'SecretSet' });
      assert.notEqual((await exception(handle, 'short')).mfa.exception, null);
    });
  });

  it('R23: after MFA registration, an exception can start', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle, view } = await readyForException(h);
      await report(handle, { type: 'MfaRegistered', method: 'authenticator-app' });
      const started: AccountView = await exception(handle, 'short');
      assert.equal(started.mfa.inGroup, false);
      assert.ok(view.profile.mobile);
    });
  });

  it('R24: an administrator can end an exception early; the account rejoins the group it left at once', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle, id } = await readyForException(h, 'RRV');
      await exception(handle, 'long');
      await h.sleep(3 * DAY);
      const ended = await handle.executeUpdate(endMfaExceptionUpdate, { args: [{ actor: ADMIN }] });
      assert.equal(ended.mfa.exception, null);
      assert.deepEqual((await h.platform.inspect(id)).groups, ['UCLH-MFA-Local-CA']);
      assert.deepEqual(ended.pendingGates, ['MfaRegistered', 'ProfileUpdated']);
      const refused = await refusalOf(
        handle.executeUpdate(endMfaExceptionUpdate, { args: [{ actor: ADMIN }] }),
      );
      assert.match(refused.message, /no MFA exception/);
      await h.sleep(30 * DAY);
      assert.deepEqual(
        (await h.platform.operations(id, 'addToGroup')).length,
        2,
        'no second rejoin when the old end passes',
      );
    });
  });

  it('R24: two requests at once make one exception and one replacement, never two removals', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle, id } = await readyForException(h);
      await Promise.all([exception(handle, 'short', 'RA-A'), exception(handle, 'long', 'RA-B')]);
      const trail = await h.trail(handle);
      const actions = trail.map((e) => e.action).filter((a) => a.startsWith('MFA exception'));
      assert.deepEqual(actions, ['MFA exception started: left the MFA group', 'MFA exception replaced']);
      assert.equal((await h.platform.operations(id, 'removeFromGroup')).length, 1);
      assert.equal((await handle.query(getAccountQuery)).mfa.exception?.groupLeft, CENTRAL_MFA_GROUP);
    });
  });

  it('R24: a new request while an exception runs replaces its end time', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle, id } = await readyForException(h);
      const first = await exception(handle, 'short');
      await h.sleep(12 * HOUR);
      const replaced = await exception(handle, 'short', 'RA-2026-118');
      const newEnd = Date.parse(replaced.mfa.exceptionEndsAt!);
      assert.ok(newEnd > Date.parse(first.mfa.exceptionEndsAt!), 'a later end');
      assert.equal(replaced.mfa.exception!.riskAssessmentRef, 'RA-2026-118');
      assert.equal(replaced.mfa.exception!.groupLeft, CENTRAL_MFA_GROUP, 'still the group it first left');

      await h.sleep(13 * HOUR);
      assert.notEqual(
        (await handle.query(getAccountQuery)).mfa.exception,
        null,
        'the first end has passed without effect',
      );
      assert.deepEqual((await h.platform.inspect(id)).groups, []);
      await h.sleep(12 * HOUR);
      await until(handle, (v) => v.mfa.exception === null, 'exception over');
      const [rejoined] = (await h.platform.operations(id, 'addToGroup')).slice(-1);
      assert.ok(Math.abs(Date.parse(rejoined!.at) - newEnd) < SECOND, 'rejoined at the new end');
    });
  });
});
