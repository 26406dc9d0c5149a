import assert from 'node:assert/strict';
import {
  getAccountQuery,
  reactivateAccountUpdate,
  restoreAccountUpdate,
} from '../../src/workflows/definitions';
import { openAccount } from '../../src/operations/open-account';
import { snapshotOf } from '../../src/domain/organisation';
import { DEFAULT_POLICY } from '../../src/domain/policy';
import { referenceData } from '../../src/reference/reference-data';
import {
  ADMIN,
  DAY,
  HOUR,
  activeAccount,
  lifecycleHarness,
  passFirstGates,
  report,
  until,
  type Harness,
} from '../helpers/lifecycle-harness';
import { refusalOf } from '../helpers/refusal';

type Handle = Awaited<ReturnType<Harness['start']>>['handle'];
const NATIONAL = { kind: 'national-admin', id: 'nas', name: 'NAS' } as const;
const restore = (handle: Handle) =>
  handle.executeUpdate(restoreAccountUpdate, { args: [{ actor: NATIONAL }] });

/** Active, then left alone: Inactive at 30 days (R30), deleted 30 days later (R32). */
async function deletedForInactivity(h: Harness) {
  const account = await activeAccount(h);
  await h.sleep(60 * DAY + HOUR);
  const view = await until(account.handle, (v) => v.status === 'Deleted', 'deleted');
  return { ...account, view };
}

describe('R30, R32: inactivity, deletion and restore', () => {
  it('R30: a new account whose user never accepts the AUP becomes Inactive 30 days after it became Active, and not before', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle, view } = await activeAccount(h);
      await report(handle, { type: 'PasswordChanged' });
      const activated = Date.parse(view.activatedAt!);
      await h.sleep(activated + 30 * DAY - HOUR - (await h.now()));
      assert.equal((await handle.query(getAccountQuery)).status, 'Active', 'Active an hour before');
      await h.sleep(2 * HOUR);
      const inactive = await until(handle, (v) => v.status === 'Inactive', 'Inactive');
      const late = Date.parse(inactive.inactiveSince!) - (activated + 30 * DAY);
      assert.ok(late >= 0 && late < 1000, `Inactive ${late} ms after the 30 days`);
      assert.equal((await h.directory.get(inactive.id))?.status, 'Inactive', 'the directory knows');
    });
  });

  it('R30: a sign-in within the 30 days keeps the account Active and restarts the clock', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle } = await activeAccount(h);
      await h.sleep(25 * DAY);
      await report(handle, { type: 'SignedIn' });
      await h.sleep(25 * DAY);
      assert.equal(
        (await handle.query(getAccountQuery)).status,
        'Active',
        '50 days on, 25 since the sign-in',
      );
      await h.sleep(6 * DAY);
      await until(handle, (v) => v.status === 'Inactive', 'Inactive 30 days after the sign-in');
    });
  });

  it('R30: at the inactivity deadline the lifecycle asks the platform for the last sign-in and re-arms the clock from it; nothing pushed, no history event a day', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle, id, view } = await activeAccount(h);
      await passFirstGates(handle);
      const activated = Date.parse(view.activatedAt!);
      await h.sleep(20 * DAY);
      const signedIn = await h.now();
      await h.platform.signIn(id, new Date(signedIn));
      const events = (await handle.fetchHistory()).events!.length;
      await h.sleep(activated + 30 * DAY + HOUR - (await h.now()));
      const rearmed = await handle.query(getAccountQuery);
      assert.equal(rearmed.status, 'Active', 'the platform saw a sign-in on day 20');
      assert.equal(rearmed.lastSignInAt, new Date(signedIn).toISOString());
      assert.equal((await h.platform.operations(id, 'lastSignIn')).length, 1, 'asked once, at the deadline');
      const added = (await handle.fetchHistory()).events!.slice(events);
      assert.ok(added.length <= 15, `the deadline's question costs ${added.length} events, not one a day`);
      await h.sleep(signedIn + 30 * DAY - HOUR - (await h.now()));
      assert.equal(
        (await handle.query(getAccountQuery)).status,
        'Active',
        'an hour before 30 days from the sign-in',
      );
      await h.sleep(2 * HOUR);
      await until(
        handle,
        (v) => v.status === 'Inactive',
        'Inactive 30 days after the sign-in the platform saw',
      );
    });
  });

  it('R30: an Inactive account whose user signed in (the platform says) is made Active again at the deletion deadline, not deleted', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle, id } = await activeAccount(h);
      await passFirstGates(handle);
      await h.sleep(31 * DAY);
      await until(handle, (v) => v.status === 'Inactive', 'Inactive');
      await h.sleep(10 * DAY);
      await h.platform.signIn(id, new Date(await h.now()));
      await h.sleep(21 * DAY);
      const view = await until(handle, (v) => v.status === 'Active', 'Active again');
      assert.equal(view.deletion, null);
      assert.equal((await h.platform.inspect(id)).exists, true);
      assert.ok(
        (await h.trail(handle)).some((e) =>
          /^Signed in at .*: the account is Active again \(R30\)$/.test(e.action),
        ),
      );
    });
  });

  it('R30: a sign-in, or an administrator, makes an Inactive account Active again', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const first = await activeAccount(h);
      const second = await activeAccount(h);
      await h.sleep(31 * DAY);
      await until(first.handle, (v) => v.status === 'Inactive', 'Inactive');
      const signedIn = await report(first.handle, { type: 'SignedIn' });
      assert.equal(signedIn.status, 'Active');
      const reactivated = await second.handle.executeUpdate(reactivateAccountUpdate, {
        args: [{ actor: ADMIN }],
      });
      assert.equal(reactivated.status, 'Active');
      assert.ok((await h.trail(second.handle)).some((e) => e.action === 'Account reactivated (R30)'));
      await h.sleep(29 * DAY);
      assert.equal((await first.handle.query(getAccountQuery)).status, 'Active', 'the clock started again');
      assert.match(
        (await refusalOf(first.handle.executeUpdate(reactivateAccountUpdate, { args: [{ actor: ADMIN }] })))
          .message,
        /Only an Inactive account/,
      );
    });
  });

  it('R30, R32: an account Inactive for 30 days is deleted: the platform account goes, the directory entry disappears', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { id, view } = await deletedForInactivity(h);
      assert.equal(view.deletion!.statusBefore, 'Inactive');
      assert.equal(
        Date.parse(view.deletion!.deletedAt) - Date.parse(view.inactiveSince ?? view.deletion!.deletedAt) >=
          0,
        true,
      );
      assert.equal((await h.platform.inspect(id)).exists, false);
      assert.deepEqual((await h.platform.inspect(id)).groups, []);
      assert.equal(await h.directory.get(id), undefined);
      const found = await h.directory.search({ q: id, limit: 5 });
      assert.equal(found.entries.length, 0, 'not found by search');
    });
  });

  it('R32: restored on day 29, the account is back as it was: same address, history kept, in its groups again', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle, id, email } = await deletedForInactivity(h);
      await h.sleep(29 * DAY);
      const view = await restore(handle);
      assert.equal(view.status, 'Inactive', 'back to the status it had');
      assert.equal(view.email, email);
      assert.equal((await h.platform.inspect(id)).exists, true);
      assert.deepEqual((await h.platform.inspect(id)).groups, ['NHSmail-MFA-Standard-CA']);
      assert.equal((await h.directory.get(id))?.status, 'Inactive');
      const trail = await h.trail(handle);
      assert.equal(trail[0]!.action, 'Account created');
      assert.ok(trail.some((e) => e.action === 'Account restored as Inactive (R32)'));
      await h.sleep(29 * DAY);
      assert.equal((await handle.query(getAccountQuery)).status, 'Inactive', 'its 30 days start again');
      assert.equal((await report(handle, { type: 'SignedIn' })).status, 'Active');
    });
  });

  it('R32, R11: on day 31 the account is closed for good: no restore, nothing personal left in the directory, the address never reused', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle, id, view } = await deletedForInactivity(h);
      await h.sleep(29 * DAY);
      assert.equal((await handle.describe()).status.name, 'RUNNING', 'restorable on day 29');
      await h.sleep(2 * DAY);
      await until(handle, (v) => v.deletion?.closedAt !== null, 'closed', 15_000).catch(() => undefined);
      assert.equal((await handle.describe()).status.name, 'COMPLETED', 'the lifecycle has ended');
      await assert.rejects(restore(handle), 'no restore after the window');
      const located = await h.directory.locate(id);
      assert.equal(located?.status, 'Deleted');
      const [row] = (await h.directory.search({ status: 'Deleted', q: id, limit: 1 })).entries;
      assert.equal(row?.firstName, '', 'no name left');
      assert.equal(row?.mobile, undefined, 'no phone left');

      const org = referenceData.organisation('RJ1')!;
      const again = await openAccount(
        { client: h.client, taskQueue: h.taskQueue, directory: h.directory, policy: DEFAULT_POLICY },
        {
          profile: { ...view.profile, mobile: undefined },
          organisation: snapshotOf(org),
          notes: '',
          createdBy: ADMIN,
        },
        { domain: 'nhs.net', confirmNotDuplicate: true },
      );
      assert.equal(again.kind, 'opened');
      if (again.kind === 'opened') {
        h.track(again.handle);
        assert.notEqual(again.account.email, view.email, 'the address is never given again');
      }
    });
  });
});
