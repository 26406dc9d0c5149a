import assert from 'node:assert/strict';
import type { Actor } from '../../src/domain/account';
import {
  editAccountUpdate,
  getAccountQuery,
  markLeaverUpdate,
  updateFromFeedUpdate,
  withdrawLeaverMarkUpdate,
} from '../../src/workflows/definitions';
import {
  ADMIN,
  DAY,
  HOUR,
  MINUTE,
  activeAccount,
  lifecycleHarness,
  liveThrough,
  until,
  type Harness,
} from '../helpers/lifecycle-harness';
import { refusalOf } from '../helpers/refusal';

type Handle = Awaited<ReturnType<Harness['start']>>['handle'];
const FEED: Actor = { kind: 'scim-client', id: 'scim-rj1', name: 'RJ1 ESR feed' };

const markOn = (handle: Handle, leavingDate: string) =>
  handle.executeUpdate(markLeaverUpdate, { args: [{ actor: ADMIN, leavingDate }] });
const inDays = async (h: Harness, days: number) => new Date((await h.now()) + days * DAY).toISOString();

describe('R28: future-dated leavers', () => {
  it('R28: a leaver mark dated 21 days ahead takes effect on that day, not before; the window starts then', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle } = await activeAccount(h);
      const on = await inDays(h, 21);
      let view = await markOn(handle, on);
      assert.equal(view.status, 'Active', 'still Active until the date');
      assert.equal(view.leaverDue?.on, on, 'the account shows the date');
      await liveThrough(h, handle, 21 * DAY - HOUR);
      assert.equal((await handle.query(getAccountQuery)).status, 'Active', 'still Active an hour before');
      await h.sleep(2 * HOUR);
      view = await until(handle, (v) => v.status === 'Leaver', 'Leaver on the date');
      assert.equal(view.leaverDue, null);
      assert.ok(Math.abs(Date.parse(view.leaver!.markedAt) - Date.parse(on)) < MINUTE, 'marked at the date');
      const window = Date.parse(view.leaver!.windowEndsAt) - Date.parse(view.leaver!.markedAt);
      assert.equal(window, 30 * DAY, 'the 30 days start then');
      assert.equal(view.leaver!.markedBy.id, ADMIN.id, 'marked in the name of who set the date (R2)');
      const trail = await h.trail(handle);
      assert.ok(trail.some((e) => e.action.startsWith('Future-dated leaver')));
      assert.ok(trail.some((e) => e.action.startsWith('Leaving date reached')));
    });
  });

  it('R28: a leaving date moved later moves the mark; one withdrawn before it is due never marks', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle } = await activeAccount(h);
      await markOn(handle, await inDays(h, 7));
      await h.sleep(2 * DAY);
      const moved = await inDays(h, 12);
      const view = await markOn(handle, moved);
      assert.equal(view.leaverDue?.on, moved);
      await liveThrough(h, handle, 10 * DAY);
      assert.equal((await handle.query(getAccountQuery)).status, 'Active', 'not marked on the first date');
      await h.sleep(4 * DAY);
      const marked = await until(handle, (v) => v.status === 'Leaver', 'Leaver on the moved date');
      assert.ok(Math.abs(Date.parse(marked.leaver!.markedAt) - Date.parse(moved)) < MINUTE);

      const other = await activeAccount(h);
      await markOn(other.handle, await inDays(h, 5));
      const withdrawn = await other.handle.executeUpdate(withdrawLeaverMarkUpdate, {
        args: [{ actor: ADMIN }],
      });
      assert.equal(withdrawn.leaverDue, null);
      await liveThrough(h, other.handle, 10 * DAY);
      assert.equal((await other.handle.query(getAccountQuery)).status, 'Active', 'never marked');
    });
  });

  it('R28: a leaving date in the past is refused, naming the rule', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle } = await activeAccount(h);
      const refused = await refusalOf(markOn(handle, await inDays(h, -1)));
      assert.match(refused.message, /has passed.*R28/);
      assert.equal((await handle.query(getAccountQuery)).leaverDue, null);
    });
  });

  it("R33, R17: a feed's edit and leaver mark while Pending are held, then applied once the account is Active", async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle } = await h.start();
      const adminEdit = handle.executeUpdate(editAccountUpdate, {
        args: [{ actor: ADMIN, changes: { jobTitle: 'Nurse' } }],
      });
      assert.match((await refusalOf(adminEdit)).message, /R17/, "an administrator's edit is still refused");
      let view = await handle.executeUpdate(updateFromFeedUpdate, {
        args: [{ actor: FEED, changes: { jobTitle: 'Staff Nurse' }, externalId: 'ESR-1001' }],
      });
      assert.equal(view.status, 'Pending');
      assert.equal(view.heldEdit?.changes.jobTitle, 'Staff Nurse', 'shown as held');
      assert.equal(view.profile.jobTitle, undefined, 'not applied while Pending');
      assert.equal(view.externalId, 'ESR-1001');
      await h.sleep(3 * HOUR + 30 * 60 * 1000);
      view = await until(handle, (v) => v.status === 'Active' && v.heldEdit === null, 'Active, edit applied');
      assert.equal(view.profile.jobTitle, 'Staff Nurse', 'applied once Active');

      const pending = await h.start();
      await pending.handle.executeUpdate(updateFromFeedUpdate, {
        args: [{ actor: FEED, leaving: { active: false, leavingDate: null } }],
      });
      assert.equal((await pending.handle.query(getAccountQuery)).status, 'Pending');
      await h.sleep(3 * HOUR + 30 * 60 * 1000);
      await until(pending.handle, (v) => v.status === 'Leaver', 'marked once Active');
    });
  });
});
